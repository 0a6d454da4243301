// A small client written against the generated types, the way a front end would use them. `npm run check`
// regenerates generated/samverkan.ts from ../openapi.json and compiles this with tsc --strict: a contract
// change that would break such a client (a renamed field, a path or a problem code gone) fails the test command.
import type { components, paths } from "./generated/samverkan";

type Schemas = components["schemas"];
type Organisations = paths["/api/v1/organisations"];
type OrganisationQuery = NonNullable<Organisations["get"]["parameters"]["query"]>;
type OrganisationPage = Organisations["get"]["responses"][200]["content"]["application/json"];
type NewOrganisation = Organisations["post"]["requestBody"]["content"]["application/json"];
type CreateConflict = Organisations["post"]["responses"][409]["content"]["application/problem+json"];
type Recommendation = paths["/api/v1/decisions/{id}"]["get"]["responses"][200]["content"]["application/json"];
type Answer = paths["/api/v1/decisions/{id}/responses"]["post"]["requestBody"]["content"]["application/json"];
type Download = paths["/api/v1/documents/{id}/content"]["get"]["responses"];

const BASE = "http://127.0.0.1:8000";

async function call<T>(token: string, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(BASE + path, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
  });
  if (!response.ok) {
    const problem = (await response.json()) as Schemas["Problem"];
    throw new Error(`${problem.status} ${problem.code}: ${problem.detail}`);
  }
  return (await response.json()) as T;
}

export async function principals(token: string): Promise<string[]> {
  const query: OrganisationQuery = { is_principal: true, sort: "name", limit: 100 };
  const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const page = await call<OrganisationPage>(token, `/api/v1/organisations?${search}`);
  // A list may carry tombstones (with updated_since); they have no name.
  return page.data.flatMap((o) => ("name" in o ? [`${o.name} (${o.municipality_code ?? "region"})`] : []));
}

export function explainConflict(problem: CreateConflict): string {
  switch (problem.code) {
    case "duplicate_name":
      return "Det finns redan en organisation med det namnet.";
    case "duplicate_org_number":
      return "Organisationsnumret används redan.";
    case "duplicate_municipality_code":
      return "Kommunkoden används redan.";
    default:
      return problem.detail;
  }
}

export const umea: NewOrganisation = {
  kind: "municipality",
  name: "Umeå kommun",
  municipality_code: "2480",
  county_code: "24",
  org_number: "212000-2742",
  is_principal: true,
};

export function overdue(decision: Recommendation): number {
  return decision.tally?.overdue ?? 0;
}

export const adopted: Answer = {
  organisation_id: "f1a2dfc8-61b0-4c27-8b37-81272dae09f9",
  status: "adopted",
  decided_on: "2024-09-23",
  assembly: "Kommunfullmäktige",
};

// The stored file comes back as the type it was uploaded as; a PDF viewer needs to know which types to expect.
export type PdfDownload = Download[200]["content"]["application/pdf"];
export type RangeRefused = Download[416]["content"]["application/problem+json"]["code"];
