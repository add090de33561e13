#!/usr/bin/env bash
# Regenerates the KEK fixtures (run by hand; the files are committed). Every accepted fixture is the
# same key, the published Wycheproof RSA-2048 test key (../shared/vectors), SPKI SHA-256
# ba3b161e0c65708ecfb9ef2bbea7fdf032b74444abab54e35efef67edd694111. Needs openssl and python3 + cryptography.
set -euo pipefail
cd "$(dirname "$0")"
k=wycheproof-2048
openssl pkey -pubin -in $k.pub.pem -outform DER -out $k.spki.der
openssl rsa -pubin -in $k.pub.pem -RSAPublicKey_out -out $k.pkcs1.pem 2>/dev/null
openssl rsa -pubin -in $k.pub.pem -RSAPublicKey_out -outform DER -out $k.pkcs1.der 2>/dev/null
base64 -w 0 $k.spki.der > $k.spki.b64
base64 -w 40 $k.spki.der > $k.spki-wrapped.b64
(printf '\xef\xbb\xbfKey downloaded from the portal\r\n'; sed 's/$/\r/' $k.pub.pem; printf '\r\n   \r\n') > $k.bom-crlf.pem
(echo "-----BEGIN RSA PUBLIC KEY-----"; base64 -w 64 $k.spki.der; echo "-----END RSA PUBLIC KEY-----") > $k.mislabelled.pem
openssl req -x509 -key $k.private.pem -subj "/CN=byok-ceremony test KEK/O=Wycheproof test key" \
  -days 36500 -set_serial 1 -out $k.cert.pem 2>/dev/null
openssl x509 -in $k.cert.pem -outform DER -out $k.cert.der
openssl rsa -in $k.private.pem -traditional -out $k.private-pkcs1.pem 2>/dev/null
openssl pkcs8 -topk8 -in $k.private.pem -v2 aes256 -passout pass:secret -out $k.private-encrypted.pem
python3 - <<'PY'
import base64, json
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
k = serialization.load_pem_private_key(open("wycheproof-2048.private.pem", "rb").read(), None)
pub = k.public_key().public_numbers()
b64u = lambda i: base64.urlsafe_b64encode(i.to_bytes((i.bit_length() + 7) // 8, "big")).rstrip(b"=").decode()
kid = "https://contoso.managedhsm.azure.net/keys/byok-kek/0123456789abcdef0123456789abcdef"
jwk = {"kty": "RSA", "n": b64u(pub.n), "e": b64u(pub.e), "kid": kid}
json.dump(jwk, open("wycheproof-2048.jwk.json", "w"), indent=2)
az = {"attributes": {"enabled": True, "exportable": False, "recoveryLevel": "Recoverable"},
      "key": {"crv": None, "d": None, "dp": None, "dq": None, "e": jwk["e"], "k": None,
              "keyOps": ["import"], "kid": kid, "kty": "RSA-HSM", "n": jwk["n"], "p": None, "q": None,
              "qi": None, "t": None, "x": None, "y": None},
      "managed": None, "releasePolicy": None, "tags": None}
json.dump(az, open("wycheproof-2048.az-key-show.json", "w"), indent=2)
priv = k.private_numbers()
json.dump(dict(jwk, d=b64u(priv.d)), open("wycheproof-2048.private.jwk.json", "w"))
json.dump({"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}, open("ec.jwk.json", "w"))
# Hand-built DER: an SPKI of an RSA key with a given modulus and exponent.
def der_len(n):
    return bytes([n]) if n < 128 else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
def tlv(tag, body):
    return bytes([tag]) + der_len(len(body)) + body
def integer(i):
    b = i.to_bytes((i.bit_length() + 8) // 8, "big")
    return tlv(0x02, b)
def spki(n, e):
    alg = tlv(0x30, bytes.fromhex("06092a864886f70d010101") + bytes.fromhex("0500"))
    return tlv(0x30, alg + tlv(0x03, b"\x00" + tlv(0x30, integer(n) + integer(e))))
n8192 = (1 << 8191) | 0xB5 | 1
open("rsa8192.spki.der", "wb").write(spki(n8192, 65537))
open("even-exponent.spki.der", "wb").write(spki(pub.n, 65536))
open("exponent-1.spki.der", "wb").write(spki(pub.n, 1))
e = ec.generate_private_key(ec.SECP256R1())
open("ec-p256.pub.pem", "wb").write(e.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
ed = ed25519.Ed25519PrivateKey.generate()
open("ed25519.pub.pem", "wb").write(ed.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
open("rsa.openssh.pub", "wb").write(k.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH) + b" user@host\n")
open("wycheproof-2048.private-openssh.pem", "wb").write(k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()))
PY
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj "/CN=ec cert" -days 30 -out ec.cert.pem 2>/dev/null
head -c 200 $k.pub.pem > truncated.pem
: > empty.pem
cat $k.pub.pem $k.pub.pem > two-keys.pem
head -c 4096 /dev/zero | tr '\0' '\377' > garbage.bin
(echo '-----BEGIN PUBLIC KEY-----'; echo 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA%%broken'; echo '-----END PUBLIC KEY-----') > broken-base64.pem
