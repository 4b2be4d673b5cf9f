import type { ApiRequest } from "./api-router.js";

/**
 * One page of a list as GitHub pages it (`per_page` default 30, at most 100; `page`
 * from 1) with the `Link` header Octokit's paginate follows. A repository's lists link
 * by id (`/repositories/42/issues?page=2`), as GitHub's do; `per_page` appears in the
 * links only when the client sent it.
 */
export function paginate<T>(
  request: ApiRequest,
  items: T[],
  baseUrl: string,
  repository?: { id: number },
): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(request.query.get("per_page")) || 30));
  const page = Math.max(1, Number(request.query.get("page")) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  let path = request.path.replace(/^\/api\/v3/, "");
  if (repository) path = path.replace(/^\/repos\/[^/]+\/[^/]+/, `/repositories/${repository.id}`);
  const link = (number: number, rel: string) => {
    const query = new URLSearchParams(request.query);
    query.delete("page");
    query.set("page", String(number));
    return `<${baseUrl}${path}?${query}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, "prev"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"));
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(", ") } : {},
  };
}
