// A small typed client over the types that openapi-typescript generates from
// the served OpenAPI document. It only has to compile: tsc checks that the
// paths, bodies and envelopes it uses exist in the document with these types.
import type { components, paths } from "../generated/breadbox";

type Account = components["schemas"]["Account"];
type AccountCreate = components["schemas"]["AccountCreate"];
type Deal = components["schemas"]["Deal"];
type DealUpdate = components["schemas"]["DealUpdate"];
type ErrorEnvelope = components["schemas"]["ErrorResponse"];

type AccountPage = paths["/accounts"]["get"]["responses"]["200"]["content"]["application/json"];
type CreatedAccount = paths["/accounts"]["post"]["responses"]["201"]["content"]["application/json"];
type UpdatedDeal = paths["/deals/{id}"]["patch"]["responses"]["200"]["content"]["application/json"];
type AccountQuery = NonNullable<paths["/accounts"]["get"]["parameters"]["query"]>;

export class Breadbox {
  constructor(private readonly baseUrl: string, private readonly apiKey: string) {}

  private async send<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.apiKey}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
    const response = await fetch(this.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const envelope = (await response.json()) as T | ErrorEnvelope;
    if (!response.ok) {
      const failure = envelope as ErrorEnvelope;
      throw new Error(`${failure.error.code}: ${failure.error.message} (request ${failure.requestId})`);
    }
    return envelope as T;
  }

  async listAccounts(query: AccountQuery = {}): Promise<{ accounts: Account[]; nextCursor: string | null }> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) search.set(name, String(value));
    }
    const page = await this.send<AccountPage>("GET", `/accounts?${search}`);
    return { accounts: page.data, nextCursor: page.hasMore ? page.nextCursor : null };
  }

  async createAccount(body: AccountCreate, idempotencyKey?: string): Promise<Account> {
    const created = await this.send<CreatedAccount>("POST", "/accounts", body, idempotencyKey);
    return created.data;
  }

  async moveDeal(id: string, stage: NonNullable<DealUpdate["stage"]>): Promise<Deal> {
    const update: DealUpdate = { stage };
    const updated = await this.send<UpdatedDeal>("PATCH", `/deals/${encodeURIComponent(id)}`, update);
    return updated.data;
  }
}

export async function example(client: Breadbox): Promise<number> {
  const account = await client.createAccount({ name: "Acme Healthcare", lifecycleStatus: "PROSPECT", employeeCount: 65 });
  const mrr: number = account.currentMrr;
  const since: string | null = account.clientSince;
  const { accounts } = await client.listAccounts({ limit: 50, lifecycleStatus: "ACTIVE", sort: "name:asc" });
  return mrr + accounts.length + (since === null ? 0 : 1);
}
