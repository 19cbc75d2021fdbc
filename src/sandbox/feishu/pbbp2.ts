/**
 * The `pbbp2.Frame` protobuf of Feishu's long connection, hand-encoded (feishu-platform.md §4 "Wire protocol"):
 * 1 SeqID uint64, 2 LogID uint64, 3 service int32, 4 method int32 (0 control, 1 data), 5 headers
 * repeated {1 key, 2 value}, 6 payloadEncoding, 7 payloadType, 8 payload bytes, 9 LogIDNew.
 * Fields 1–4 are required (the SDK's decoder throws without them), so they are always written.
 */
export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: { key: string; value: string }[];
  payloadEncoding?: string;
  payloadType?: string;
  payload?: Uint8Array;
  LogIDNew?: string;
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

function key(field: number, wire: number): number[] {
  return varint(field * 8 + wire);
}

function bytesField(field: number, data: Uint8Array): number[] {
  return [...key(field, 2), ...varint(data.length), ...data];
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export function encodeFrame(f: Frame): Uint8Array {
  const out: number[] = [
    ...key(1, 0),
    ...varint(f.SeqID),
    ...key(2, 0),
    ...varint(f.LogID),
    ...key(3, 0),
    ...varint(f.service),
    ...key(4, 0),
    ...varint(f.method),
  ];
  for (const h of f.headers) {
    const inner = [...bytesField(1, utf8(h.key)), ...bytesField(2, utf8(h.value))];
    out.push(...bytesField(5, Uint8Array.from(inner)));
  }
  if (f.payloadEncoding !== undefined) out.push(...bytesField(6, utf8(f.payloadEncoding)));
  if (f.payloadType !== undefined) out.push(...bytesField(7, utf8(f.payloadType)));
  if (f.payload !== undefined) out.push(...bytesField(8, f.payload));
  if (f.LogIDNew !== undefined) out.push(...bytesField(9, utf8(f.LogIDNew)));
  return Uint8Array.from(out);
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      const b = this.buf[this.pos++];
      if (b === undefined) throw new Error('truncated varint');
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 0x80;
    }
  }

  bytes(): Uint8Array {
    const len = this.varint();
    if (this.pos + len > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

export function decodeFrame(buf: Uint8Array): Frame {
  const r = new Reader(buf);
  const f: Frame = { SeqID: 0, LogID: 0, service: 0, method: 0, headers: [] };
  while (!r.done) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    switch (field) {
      case 1:
        f.SeqID = r.varint();
        break;
      case 2:
        f.LogID = r.varint();
        break;
      case 3:
        f.service = r.varint();
        break;
      case 4:
        f.method = r.varint();
        break;
      case 5: {
        const h = new Reader(r.bytes());
        const header = { key: '', value: '' };
        while (!h.done) {
          const t = h.varint();
          if (Math.floor(t / 8) === 1) header.key = text(h.bytes());
          else if (Math.floor(t / 8) === 2) header.value = text(h.bytes());
          else h.skip(t % 8);
        }
        f.headers.push(header);
        break;
      }
      case 6:
        f.payloadEncoding = text(r.bytes());
        break;
      case 7:
        f.payloadType = text(r.bytes());
        break;
      case 8:
        f.payload = Uint8Array.from(r.bytes());
        break;
      case 9:
        f.LogIDNew = text(r.bytes());
        break;
      default:
        r.skip(wire);
    }
  }
  return f;
}

export function header(f: Frame, name: string): string | undefined {
  return f.headers.find((h) => h.key === name)?.value;
}
