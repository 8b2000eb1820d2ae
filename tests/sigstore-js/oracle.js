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
    .then(() => (cmd === 'sign'     ? sign(...args)
                 : cmd === 'verify' ? verify(...args)
                 : cmd === 'verify-keyless'
                     ? verifyKeyless(...args)
                     : Promise.reject(new Error(`usage: oracle.js sign|verify|verify-keyless ...`))))
    .catch((err) => {
	    console.error(`sigstore-js: ${err.message}`);
	    process.exit(1);
    });
