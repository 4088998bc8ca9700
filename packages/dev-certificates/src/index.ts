export {
  createCertificateAuthority,
  type CertificateAuthority,
  type IssuedCertificate,
  type IssueOptions,
} from './certificate-authority';
export { MARKETPLACE_CLIENT_NAME, RECOMMENDATIONS_SERVER_NAMES, writeDevCertificates, writeTlsFolder } from './dev-set';
export { createTestPki, type TestPki, type CertificateFiles } from './test-pki';
