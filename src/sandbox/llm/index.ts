/** The sandbox's scripted LLM: an OpenAI-compatible endpoint that plays a script and records what it was sent. */
export {
  answer,
  callTools,
  fail,
  type Matcher,
  messageText,
  type RecordedRequest,
  type Script,
  type ScriptedToolCall,
  type ScriptTurn,
  slow,
  type WireMessage,
} from './script.js';
export { SCRIPTED_MODEL, type ScriptedLlm, type ScriptedLlmOptions, startScriptedLlm } from './server.js';
