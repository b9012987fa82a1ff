import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

// The certificates of the local BankID server: a CA of its own, the server's certificate
// (localhost, 127.0.0.1) and a relying party's client certificate as PKCS#12 with a passphrase,
// the form BankID issues one in. Made afresh at each start; nothing here is a secret anyone else holds.

export interface LocalBankIdCertificates {
  /** The CA both sides trust (PEM): the product's BANKID_CA. */
  ca: string;
  server: { key: string; cert: string };
  /** The relying party's certificate and key: the product's BANKID_CLIENT_P12. */
  clientP12: Buffer;
  passphrase: string;
}

const rsaKey = () => {
  // Node makes the key (native and fast); node-forge wraps it in certificates and PKCS#12.
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
};

function certificate(input: {
  subject: string;
  publicKey: forge.pki.PublicKey;
  issuer?: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey };
  signingKey: forge.pki.rsa.PrivateKey;
  extensions: object[];
}) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = input.publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  const subject = [
    { name: 'commonName', value: input.subject },
    { name: 'organizationName', value: 'Medborgarlöften, lokal BankID' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(input.issuer ? input.issuer.cert.subject.attributes : subject);
  cert.setExtensions(input.extensions);
  cert.sign(input.signingKey, forge.md.sha256.create());
  return cert;
}

export function makeLocalBankIdCertificates(): LocalBankIdCertificates {
  const ca = rsaKey();
  const caCert = certificate({
    subject: 'Lokal BankID-CA (bara för test)',
    publicKey: ca.publicKey,
    signingKey: ca.key,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const issuer = { cert: caCert, key: ca.key };
  const server = rsaKey();
  const serverCert = certificate({
    subject: 'localhost',
    publicKey: server.publicKey,
    issuer,
    signingKey: ca.key,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  const client = rsaKey();
  const clientCert = certificate({
    subject: 'Medborgarlöften (förlitande part, test)',
    publicKey: client.publicKey,
    issuer,
    signingKey: ca.key,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });
  const passphrase = randomBytes(12).toString('base64url');
  const p12 = forge.pkcs12.toPkcs12Asn1(client.key, [clientCert, caCert], passphrase, { algorithm: 'aes256' });
  return {
    ca: forge.pki.certificateToPem(caCert),
    server: { key: forge.pki.privateKeyToPem(server.key), cert: forge.pki.certificateToPem(serverCert) },
    clientP12: Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'),
    passphrase,
  };
}
