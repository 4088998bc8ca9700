/**
 * The Pod Security Standards' "restricted" profile (which includes "baseline"), as Pod Security
 * Admission checks a pod spec: https://kubernetes.io/docs/concepts/security/pod-security-standards/
 * Returns one line per violation; [] means the namespace's `enforce: restricted` admits the pod.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);
/** Sysctls baseline allows (the "safe" set). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

const SELINUX_TYPES = new Set(['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

export function restrictedViolations(pod: Json): string[] {
  const found: string[] = [];
  const podContext: Json = pod.securityContext ?? {};
  const containers: Json[] = [
    ...(pod.initContainers ?? []),
    ...(pod.containers ?? []),
    ...(pod.ephemeralContainers ?? []),
  ];
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[field]) found.push(`${field} is set`);
  for (const volume of pod.volumes ?? []) {
    const type = Object.keys(volume).find((key) => key !== 'name');
    if (!type || !RESTRICTED_VOLUMES.has(type)) found.push(`volume ${volume.name}: type ${type} is not allowed`);
  }
  for (const sysctl of podContext.sysctls ?? [])
    if (!SAFE_SYSCTLS.has(sysctl.name)) found.push(`sysctl ${sysctl.name} is not in the safe set`);
  if (podContext.runAsUser === 0) found.push('pod runAsUser is 0');
  if (podContext.windowsOptions?.hostProcess) found.push('pod is a Windows hostProcess');
  for (const c of containers) {
    const ctx: Json = c.securityContext ?? {};
    const at = `container ${c.name}`;
    if (ctx.privileged) found.push(`${at}: privileged`);
    if (ctx.windowsOptions?.hostProcess) found.push(`${at}: Windows hostProcess`);
    if (ctx.allowPrivilegeEscalation !== false) found.push(`${at}: allowPrivilegeEscalation is not false`);
    if (!(ctx.runAsNonRoot ?? podContext.runAsNonRoot)) found.push(`${at}: runAsNonRoot is not true`);
    if (ctx.runAsNonRoot === false) found.push(`${at}: runAsNonRoot is false`);
    if (ctx.runAsUser === 0) found.push(`${at}: runAsUser is 0`);
    const seccomp = (ctx.seccompProfile ?? podContext.seccompProfile)?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
      found.push(`${at}: seccompProfile is ${seccomp ?? 'unset'}, not RuntimeDefault or Localhost`);
    if (!(ctx.capabilities?.drop ?? []).includes('ALL')) found.push(`${at}: capabilities do not drop ALL`);
    for (const added of ctx.capabilities?.add ?? [])
      if (added !== 'NET_BIND_SERVICE') found.push(`${at}: adds capability ${added}`);
    if ((ctx.procMount ?? 'Default') !== 'Default') found.push(`${at}: procMount ${ctx.procMount}`);
    const selinux = ctx.seLinuxOptions ?? podContext.seLinuxOptions;
    if (selinux?.user || selinux?.role) found.push(`${at}: sets seLinuxOptions user or role`);
    if (selinux?.type && !SELINUX_TYPES.has(selinux.type)) found.push(`${at}: seLinuxOptions type ${selinux.type}`);
    const appArmor = (ctx.appArmorProfile ?? podContext.appArmorProfile)?.type;
    if (appArmor === 'Unconfined') found.push(`${at}: appArmorProfile is Unconfined`);
    for (const port of c.ports ?? []) if (port.hostPort) found.push(`${at}: hostPort ${port.hostPort}`);
  }
  return found;
}
