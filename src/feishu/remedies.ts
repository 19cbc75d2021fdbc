/** What an operator should do when Feishu refuses a message for good. */
const REMEDY: Record<number, string> = {
  230002: 'add the bot to the chat (chat settings → Bots → Add); messages queued after that go out',
  230006: 'enable the Bot ability of the app in the Feishu developer console and publish a version',
  230013: "the user is outside the app's availability scope: widen it in the developer console",
  230018: 'the group only lets some members speak: allow the bot in the group settings',
  230025: 'the message exceeds 30 KB: shorten the card',
  230027: 'grant the missing permission scope in the developer console and publish a version',
  230031: 'the card is older than 14 days and can no longer be updated',
  230035: 'the bot cannot post here (muted, blocked or tenant policy): check the chat settings',
  232009: 'the chat was dissolved: update the route chat_id in the configuration',
  99991672: 'grant the missing permission scope in the developer console and publish a version',
};

export function remedyFor(code: number | undefined, httpStatus: number | undefined): string {
  return (
    (code !== undefined ? REMEDY[code] : undefined) ??
    `see Feishu error code ${code ?? httpStatus} (log id in the detail)`
  );
}
