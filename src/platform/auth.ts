/**
 * Who is making a request, as the HTTP layer carries it (`request.principal`). The identity
 * module authenticates (session cookie or API token) and decides roles; each module's policy
 * decides what a principal may do. `null` is the anonymous public.
 */
export interface Principal {
  userId: string;
  email: string;
  name: string;
  role: string;
  /** Province code for a province office, commune code for a commune officer. */
  scopeCode: string | null;
  producerId: string | null;
  via: 'session' | 'token';
  /** The session's CSRF token (session only). */
  csrfToken?: string;
  /** The API token's id (token only). */
  tokenId?: string;
}
