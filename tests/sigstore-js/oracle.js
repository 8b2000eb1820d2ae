// SPDX-License-Identifier: Apache-2.0
// tests/sigstore-js/oracle.js: sigstore-js (@sigstore/sign, @sigstore/verify,
// @sigstore/bundle) as the independent side of tests/integration/bundles.sh.
// No network: a local key signs, a local key verifies.
//   node oracle.js sign KEY.pem HEX [PREDICATE]
//                                     a bundle signing sha256:HEX as cosign v3
//                                     signs an image (or with another
//                                     predicate type), on stdout
//   node oracle.js verify PUB.pem HEX BUNDLE.json
//                                     exit 0 when sigstore-js verifies BUNDLE with
//                                     PUB and its statement is a cosign image
//                                     signature of sha256:HEX; else 1 and why
//   node oracle.js verify-keyless BUNDLE.json TRUSTED_ROOT.json HEX SAN ISSUER [STATEMENT]
//                                     exit 0 when sigstore-js verifies the
//                                     keyless BUNDLE offline against
//                                     TRUSTED_ROOT (a transparency log entry
//                                     required, no SCT), the certificate names
//                                     SAN and the OIDC ISSUER, and its
//                                     statement signs sha256:HEX; else 1 and why
//                                     (a messageSignature bundle signs the
//                                     file STATEMENT)
//   node oracle.js verify-keyless-sig MANIFEST.json PAYLOAD TRUSTED_ROOT.json HEX SAN ISSUER
//                                     the first layer of a cosign v2 .sig
//                                     manifest (MANIFEST, its blob PAYLOAD)
//                                     carrying a certificate, converted to
//                                     the bundle v0.1 it stands for (message
//                                     signature over PAYLOAD, the certificate
//                                     and chain annotations as the
//                                     x509CertificateChain, the bundle
//                                     annotation as the one tlogEntries[]
//                                     element with its SET; none without it),
//                                     then verified as verify-keyless does;
//                                     PAYLOAD must name sha256:HEX
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const {DSSEBundleBuilder} = require('@sigstore/sign');
const {bundleFromJSON, bundleToJSON} = require('@sigstore/bundle');
const {TrustedRoot} = require('@sigstore/protobuf-specs');
const {Verifier, toSignedEntity, toTrustMaterial} = require('@sigstore/verify');

const PREDICATE = 'https://sigstore.dev/cosign/sign/v1';
const INTOTO = 'application/vnd.in-toto+json';

// Ed25519 signs the message itself; the others a SHA-256 digest of it.
function algorithm(key)
{
	return key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
}

async function sign(keyFile, hex, predicate = PREDICATE)
{
	const priv = crypto.createPrivateKey(fs.readFileSync(keyFile));
	const pub = crypto.createPublicKey(priv);
	const der = pub.export({type : 'spki', format : 'der'});
	const signer = {
		sign : async (data) => ({
			signature : crypto.sign(algorithm(priv), data, priv),
			key : {
				$case : 'publicKey',
				publicKey : pub.export({type : 'spki', format : 'pem'}),
				hint : crypto.createHash('sha256').update(der).digest('base64'),
			},
		}),
	};
	const statement = {
		_type : 'https://in-toto.io/Statement/v1',
		subject : [ {digest : {sha256 : hex}} ],
		predicateType : predicate,
		predicate : {},
	};
	const bundle = await new DSSEBundleBuilder({signer, witnesses : []}).create({
		data : Buffer.from(JSON.stringify(statement)),
		type : INTOTO,
	});
	process.stdout.write(JSON.stringify(bundleToJSON(bundle)));
}

function verify(pubFile, hex, bundleFile)
{
	const key = crypto.createPublicKey(fs.readFileSync(pubFile));
	const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(bundleFile, 'utf8')));
	const trust = {
		certificateAuthorities : [],
		timestampAuthorities : [],
		tlogs : [],
		ctlogs : [],
		publicKey : () => ({publicKey : key, validFor : () => true}),
	};
	new Verifier(trust, {tlogThreshold : 0, ctlogThreshold : 0}).verify(toSignedEntity(bundle));
	checkStatement(bundle, hex);
}

// Keyless, offline: the trust material is TRUSTED_ROOT alone; one
// transparency log entry is required (as cosign requires), SCTs are not
// (the test CA runs no certificate transparency log).
function verifyKeyless(bundleFile, rootFile, hex, san, issuer, statementFile)
{
	const artifact = statementFile === undefined ? undefined : fs.readFileSync(statementFile);
	const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(bundleFile, 'utf8')));
	const root = TrustedRoot.fromJSON(JSON.parse(fs.readFileSync(rootFile, 'utf8')));
	const verifier = new Verifier(toTrustMaterial(root), {tlogThreshold : 1, ctlogThreshold : 0});
	const signer = verifier.verify(toSignedEntity(bundle, artifact), {
		subjectAlternativeName : san,
		extensions : {issuer},
	});
	if (signer.identity === undefined)
		throw new Error('no certificate identity');
	checkStatement(bundle, hex, artifact);
}

// PEM certificates of text, as DER in base64.
function pemCerts(text)
{
	const re = /-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g;
	const out = [];
	let m;
	while ((m = re.exec(text || '')) !== null)
		out.push({rawBytes : m[1].replace(/\s+/g, '')});
	return out;
}

function verifyKeylessSig(manifestFile, payloadFile, rootFile, hex, san, issuer)
{
	const layer = JSON.parse(fs.readFileSync(manifestFile, 'utf8')).layers[0];
	const ann = layer.annotations || {};
	const payload = fs.readFileSync(payloadFile);
	const certs = pemCerts(ann['dev.sigstore.cosign/certificate'])
	                  .concat(pemCerts(ann['dev.sigstore.cosign/chain']));
	const tlogEntries = [];
	if (ann['dev.sigstore.cosign/bundle'] !== undefined) {
		const rb = JSON.parse(ann['dev.sigstore.cosign/bundle']);
		tlogEntries.push({
			logIndex : String(rb.Payload.logIndex),
			logId : {keyId : Buffer.from(rb.Payload.logID, 'hex').toString('base64')},
			kindVersion : {kind : 'hashedrekord', version : '0.0.1'},
			integratedTime : String(rb.Payload.integratedTime),
			inclusionPromise : {signedEntryTimestamp : rb.SignedEntryTimestamp},
			canonicalizedBody : rb.Payload.body,
		});
	}
	const json = {
		mediaType : 'application/vnd.dev.sigstore.bundle+json;version=0.1',
		verificationMaterial : {x509CertificateChain : {certificates : certs}, tlogEntries},
		messageSignature : {
			messageDigest : {
				algorithm : 'SHA2_256',
				digest : crypto.createHash('sha256').update(payload).digest('base64'),
			},
			signature : ann['dev.cosignproject.cosign/signature'],
		},
	};
	const bundle = bundleFromJSON(json);
	const root = TrustedRoot.fromJSON(JSON.parse(fs.readFileSync(rootFile, 'utf8')));
	const verifier = new Verifier(toTrustMaterial(root), {tlogThreshold : 1, ctlogThreshold : 0});
	const signer = verifier.verify(toSignedEntity(bundle, payload), {
		subjectAlternativeName : san,
		extensions : {issuer},
	});
	if (signer.identity === undefined)
		throw new Error('no certificate identity');
	const st = JSON.parse(payload.toString('utf8'));
	if (st.critical.type !== 'cosign container image signature')
		throw new Error(`payload type ${st.critical.type}`);
	if (st.critical.image['docker-manifest-digest'] !== `sha256:${hex}`)
		throw new Error(
		    `the payload names ${st.critical.image['docker-manifest-digest']}, not sha256:${hex}`);
	console.log(`verified: .sig layer as ${json.mediaType}, sha256:${hex}`);
}

// The bundle is a cosign image signature of sha256:HEX (a DSSE envelope's
// payload, or the artifact a message signature signs).
function checkStatement(bundle, hex, artifact)
{
	const env = bundle.content.dsseEnvelope;
	if (env === undefined && artifact === undefined)
		throw new Error('not a DSSE envelope, and no statement given');
	if (env !== undefined && env.payloadType !== INTOTO)
		throw new Error('not a DSSE in-toto envelope');
	const st = JSON.parse((env !== undefined ? env.payload : artifact).toString('utf8'));
	if (st.predicateType !== PREDICATE)
		throw new Error(`predicateType ${st.predicateType}`);
	if (st.subject.length !== 1 || st.subject[0].digest.sha256 !== hex)
		throw new Error(`the statement names ${JSON.stringify(st.subject)}, not sha256:${hex}`);
	console.log(`verified: ${bundle.mediaType}, sha256:${hex}`);
}

const [cmd, ...args] = process.argv.slice(2);
Promise.resolve()
    .then(() => (cmd === 'sign'             ? sign(...args)
                 : cmd === 'verify'         ? verify(...args)
                 : cmd === 'verify-keyless' ? verifyKeyless(...args)
                 : cmd === 'verify-keyless-sig'
                     ? verifyKeylessSig(...args)
                     : Promise.reject(
                           new Error(`usage: oracle.js sign|verify|verify-keyless|verify-keyless-sig ...`))))
    .catch((err) => {
	    console.error(`sigstore-js: ${err.message}`);
	    process.exit(1);
    });
