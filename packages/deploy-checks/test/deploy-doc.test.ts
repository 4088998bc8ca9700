import { checkKubectlCommands, documentedNamespaces, kubectlCommands, readDeployDoc } from './support/deploy-doc';
import { loadManifests } from './support/manifests';

const commands = kubectlCommands(readDeployDoc());
// The top level of k8s/: what `kubectl apply -f k8s/` creates, so what the documented commands act on.
const objects = loadManifests();
const deployments = objects.filter((o) => o.kind === 'Deployment');

describe('the kubectl commands of docs/deploy.md', () => {
  it('show apply, an image override for every Deployment, and teardown', () => {
    expect(commands).toContain('kubectl apply -f k8s/');
    expect(commands).toEqual(expect.arrayContaining([expect.stringMatching(/^kubectl delete -f k8s\/( |$)/)]));
    expect(deployments.length).toBeGreaterThan(0);
    for (const { metadata } of deployments)
      expect(
        commands.filter((c) => c.startsWith(`kubectl set image -n bookstore deployment/${metadata.name} `)),
      ).not.toEqual([]);
  });

  it('name only objects, namespaces, containers and images that k8s/ ships', () => {
    expect(commands.length).toBeGreaterThan(5);
    expect(checkKubectlCommands(commands, objects)).toEqual([]);
  });

  it('would be caught rotting: namespace, Deployment, container or image wrong', () => {
    const image = 'r.example/bookstore/recommendations:2';
    expect(
      checkKubectlCommands(
        [
          `kubectl set image deployment/recommendations recommendations=${image}`,
          `kubectl set image -n bookstore deployment/recommendation recommendations=${image}`,
          `kubectl set image -n bookstore deployment/recommendations web=${image}`,
          `kubectl set image -n bookstore deployment/marketplace marketplace=${image}`,
          'kubectl port-forward --namespace=default svc/marketplace 8080:80',
        ],
        objects,
      ),
    ).toEqual([
      `kubectl set image deployment/recommendations recommendations=${image}: Deployment recommendations is in namespace bookstore, the command uses the current namespace`,
      `kubectl set image -n bookstore deployment/recommendation recommendations=${image}: k8s/ has no Deployment recommendation`,
      `kubectl set image -n bookstore deployment/recommendation recommendations=${image}: names no Deployment that k8s/ defines`,
      `kubectl set image -n bookstore deployment/recommendations web=${image}: recommendations has no container web`,
      `kubectl set image -n bookstore deployment/marketplace marketplace=${image}: ${image} is not an image of bookstore/marketplace`,
      'kubectl port-forward --namespace=default svc/marketplace 8080:80: Service marketplace is in namespace bookstore, the command uses default',
    ]);
  });

  it('refuse to run on a doc without its namespace table', () => {
    expect(() => documentedNamespaces('# Deploying\n\nno table here\n')).toThrow(/no table starting "\| namespace \|"/);
    expect(() => documentedNamespaces('| namespace | what |\n|---|---|\n| bookstore | no backticks |\n')).toThrow(
      /row without/,
    );
  });
});
