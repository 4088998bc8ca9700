import type { ServerInterceptingCallInterface } from '@grpc/grpc-js';

type AuthContext = ReturnType<ServerInterceptingCallInterface['getAuthContext']>;

/**
 * The identity in a verified client certificate: its subject CN, else its first subject
 * alternative name (without the `DNS:`/`URI:` prefix, e.g. a SPIFFE id). Undefined without
 * mutual TLS, or when the certificate names nothing.
 */
export function callerIdentity(auth: AuthContext | null | undefined): string | undefined {
  const certificate = auth?.sslPeerCertificate;
  if (certificate === undefined) return undefined;
  const cn = certificate.subject?.CN as string | string[] | undefined;
  const first = Array.isArray(cn) ? cn[0] : cn;
  if (first !== undefined && first !== '') return first;
  const san = certificate.subjectaltname?.split(', ')[0];
  return san === undefined || san === '' ? undefined : san.slice(san.indexOf(':') + 1);
}
