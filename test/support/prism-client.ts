// Raw requests to a Prism mock, and the violations it reports in `sl-violations`.
export interface PrismViolation {
  location: string[];
  code: string | number;
  message: string;
  severity: string;
}

export interface PrismAnswer {
  status: number;
  body: unknown;
  violations: PrismViolation[];
  headers: Headers;
}

export async function postToPrism(
  baseUrl: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<PrismAnswer> {
  const response = await fetch(`${baseUrl}/v1/video/generations`, {
    method: "POST",
    headers: { authorization: "Bearer sk-test", "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return readAnswer(response);
}

async function readAnswer(response: Response): Promise<PrismAnswer> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  const header = response.headers.get("sl-violations");
  return {
    status: response.status,
    body,
    violations: header ? (JSON.parse(header) as PrismViolation[]) : [],
    headers: response.headers,
  };
}
