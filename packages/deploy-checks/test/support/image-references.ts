/**
 * The registry k8s/ names for the bookstore's own images: `.invalid` is reserved (RFC 6761 §6.4:
 * every lookup answers NXDOMAIN), so a node can never pull `registry.invalid/bookstore/…` from
 * anyone. Until you point the Deployments at your registry (docs/deploy.md), the pods wait in
 * ErrImagePull instead of running an image from a Docker Hub namespace this project does not own.
 */
export const PLACEHOLDER_REGISTRY = 'registry.invalid';

/**
 * Third-party images k8s/ may name by tag, each with the reason. Anything else must be pinned by
 * digest.
 */
export const TRUSTED_BY_TAG: Readonly<Record<string, string>> = {
  // The Valkey project's own namespace on Docker Hub (what valkey.io's docs run), so the name is
  // not someone else's. Its tag 8-bookworm moves with patch releases, which is wanted for a
  // cache-like store; pin a digest in your copy to freeze it (docs/deploy.md).
  'valkey/valkey': 'published by the Valkey project; a moving patch tag on purpose',
};

// The distribution reference grammar (github.com/distribution/reference), enough of it to tell a
// name a container runtime accepts from one it rejects.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN =
  '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?)';
const REFERENCE = new RegExp(
  `^(?:(${DOMAIN})/)?(${COMPONENT}(?:/${COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$`,
);

export interface ImageReference {
  /** The registry host when the name has one (a first part with a dot, a colon or `localhost`). */
  readonly registry: string | undefined;
  readonly path: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

/** The parts of an image reference, or undefined when a runtime would reject it. */
export function parseImageReference(image: string): ImageReference | undefined {
  const [, first, rest, tag, digest] = REFERENCE.exec(image) ?? [];
  if (rest === undefined) return undefined;
  // "bookstore/marketplace": the first part is a path component, not a registry (Docker Hub's).
  const isRegistry = first !== undefined && (/[.:]/.test(first) || first === 'localhost');
  const path = first !== undefined && !isRegistry ? `${first}/${rest}` : rest;
  if (first !== undefined && !isRegistry && !new RegExp(`^${COMPONENT}$`).test(first)) return undefined;
  return { registry: isRegistry ? first : undefined, path, tag, digest };
}

/** What is wrong with an image k8s/ names, or undefined: the placeholder, a digest, or a trusted tag. */
export function imageProblem(image: string): string | undefined {
  const reference = parseImageReference(image);
  if (reference === undefined) return `${image}: not a valid image reference`;
  if (reference.tag === 'latest') return `${image}: the tag latest moves`;
  if (reference.digest !== undefined) return undefined;
  if (reference.registry === PLACEHOLDER_REGISTRY) {
    return reference.path.startsWith('bookstore/') && reference.tag !== undefined
      ? undefined
      : `${image}: the placeholder registry is for bookstore/<service>:<tag> only`;
  }
  const name = reference.registry === undefined ? reference.path : `${reference.registry}/${reference.path}`;
  if (Object.hasOwn(TRUSTED_BY_TAG, name) && reference.tag !== undefined) return undefined;
  return `${image}: neither ${PLACEHOLDER_REGISTRY}/bookstore/… nor pinned by digest (@sha256:…)`;
}

/** Every `image:` value in an object, at any depth (containers, initContainers, patches). */
export function imagesIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(imagesIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, field]) =>
    key === 'image' && typeof field === 'string' ? [field] : imagesIn(field),
  );
}
