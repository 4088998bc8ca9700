import { resolve4 } from 'node:dns/promises';
import {
  imageProblem,
  imagesIn,
  parseImageReference,
  PLACEHOLDER_REGISTRY,
  TRUSTED_BY_TAG,
} from './support/image-references';
import { K8S, loadManifestTree } from './support/manifests';

const images = loadManifestTree(K8S).flatMap(({ file, object }) => imagesIn(object).map((image) => ({ file, image })));

describe('the images k8s/ names', () => {
  it('are the placeholder registry, pinned by digest, or a named third party by tag (with a reason)', () => {
    expect(images.map(({ image }) => image).sort()).toEqual([
      `${PLACEHOLDER_REGISTRY}/bookstore/marketplace:1.0.0`,
      `${PLACEHOLDER_REGISTRY}/bookstore/recommendations:1.0.0`,
      'valkey/valkey:8-bookworm',
    ]);
    expect(images.flatMap(({ file, image }) => imageProblem(image)?.replace(/^/, `${file}: `) ?? [])).toEqual([]);
    for (const reason of Object.values(TRUSTED_BY_TAG)) expect(reason).not.toBe('');
  });

  it('would be caught naming a namespace this project does not own, or a moving tag', () => {
    expect({
      hub: imageProblem('bookstore/marketplace:1.0.0'),
      other: imageProblem('registry.example.com/bookstore/marketplace:1.0.0'),
      latest: imageProblem('valkey/valkey:latest'),
      untagged: imageProblem(`${PLACEHOLDER_REGISTRY}/bookstore/marketplace`),
      invalid: imageProblem('Bookstore/Marketplace:1.0.0'),
    }).toEqual({
      hub: 'bookstore/marketplace:1.0.0: neither registry.invalid/bookstore/… nor pinned by digest (@sha256:…)',
      other: expect.stringContaining('neither registry.invalid'),
      latest: 'valkey/valkey:latest: the tag latest moves',
      untagged: expect.stringContaining('bookstore/<service>:<tag> only'),
      invalid: expect.stringContaining('not a valid image reference'),
    });
    expect(imageProblem(`registry.example.com/bookstore/marketplace@sha256:${'a'.repeat(64)}`)).toBeUndefined();
  });

  it('use a placeholder that is a valid reference naming a registry, which no resolver can answer', async () => {
    expect(parseImageReference(`${PLACEHOLDER_REGISTRY}/bookstore/marketplace:1.0.0`)).toEqual({
      registry: PLACEHOLDER_REGISTRY,
      path: 'bookstore/marketplace',
      tag: '1.0.0',
      digest: undefined,
    });
    // Docker Hub's names have no registry part: the thing the placeholder replaces.
    expect(parseImageReference('bookstore/marketplace:1.0.0')?.registry).toBeUndefined();
    expect(PLACEHOLDER_REGISTRY).toMatch(/\.invalid$/);
    // Offline or not, the lookup fails: NXDOMAIN (RFC 6761) or no resolver at all.
    await expect(resolve4(PLACEHOLDER_REGISTRY)).rejects.toThrow();
  });
});
