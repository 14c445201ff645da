// The signature check of the public API reference's TypeScript example, in
// plain JavaScript. Usage: node verify.mjs BODY_FILE HEADER SECRET
// Prints true or false and exits with 0 or 1.
import { createHmac, timingSafeEqual } from 'crypto';
import { readFileSync } from 'fs';

const TOLERANCE_SECONDS = 5 * 60;

function verifyWebhook(rawBody, header, secret) {
  // Parse "t=<unix_seconds>,v1=<hmac_hex>"
  const parts = Object.fromEntries(
    header.split(',').map((p) => {
      const [k, v] = p.split('=');
      return [k, v];
    })
  );
  const ts = parseInt(parts.t ?? '', 10);
  const sig = parts.v1 ?? '';
  if (!ts || !sig) return false;
  // Reject stale events (replay protection)
  const ageSec = Math.abs(Date.now() / 1000 - ts);
  if (ageSec > TOLERANCE_SECONDS) return false;
  const expected = createHmac('sha256', secret)
    .update(`${ts}.${rawBody}`)
    .digest('hex');
  if (sig.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
}

const [bodyFile, header, secret] = process.argv.slice(2);
// The Express example reads the raw body with express.raw and toString(),
// which decodes it as UTF-8.
const rawBody = readFileSync(bodyFile).toString();
const verified = verifyWebhook(rawBody, header, secret);
console.log(verified);
process.exit(verified ? 0 : 1);
