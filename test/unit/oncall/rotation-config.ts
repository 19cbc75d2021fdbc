/** Daily handovers at 09:00 Shanghai (01:00Z): alice from 11-25, bob from 11-26, dave from 11-27 … */
export const ROTATION_YAML = `
card_refresh_delay: 0
oncall:
  rotations:
    - name: shop-sre
      members: [ou_alice, bob@example.com, ou_dave]
      every: daily
      handover: "09:00"
      timezone: Asia/Shanghai
      start: 2026-11-25
  overrides:
    - { rotation: shop-sre, who: ou_erin, from: "2026-11-28T12:00", to: "2026-11-28T20:00" }
escalation:
  steps:
    - { after: 5m, notify: urgent_app }
    - { after: 20m, notify: urgent_phone }
routes:
  - name: shop
    match: ['namespace="shop"']
    chat_id: oc_shop
    rotation: shop-sre
    secondary_oncall: [ou_carol]
people:
  - id: ou_admin
    roles: [admin]
  - id: ou_viewer
    roles: [viewer]
  - id: ou_dave
    roles: [operator]
`;
