import { readFileSync } from 'node:fs';

/** Resident memory of a process, in MB, as the kernel (and a pod's memory limit) counts it. */
export const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
