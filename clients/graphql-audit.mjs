// Runs graphql-http's server audits against /graphql and fails when any MUST
// audit fails. Usage: node graphql-audit.mjs URL API_KEY
import { serverAudits } from 'graphql-http';

const [url, apiKey] = process.argv.slice(2);
const authorizedFetch = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${apiKey}`);
  return fetch(input, { ...init, headers });
};

let failedMust = 0;
for (const audit of serverAudits({ url, fetchFn: authorizedFetch })) {
  const result = await audit.fn();
  const must = audit.name.startsWith('MUST');
  if (result.status !== 'ok') {
    console.log(`${result.status.toUpperCase()}: ${audit.name}${result.reason ? ` (${result.reason})` : ''}`);
    if (must) failedMust++;
  }
}
console.log(failedMust === 0 ? 'every MUST audit passed' : `${failedMust} MUST audits failed`);
process.exit(failedMust === 0 ? 0 : 1);
