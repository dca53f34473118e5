#!/bin/sh
# Regenerates the test PKI in the current directory (see README.md).
set -eu
DAYS=36500
CURVE=prime256v1

# Test CA (trusted by the server for client certs and by kubeconfigs for the server cert)
openssl ecparam -name $CURVE -genkey -noout -out ca.key
openssl req -x509 -new -key ca.key -sha256 -days $DAYS -subj "/CN=xctl-test-ca" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
  -out ca.crt

# Server certificate
openssl ecparam -name $CURVE -genkey -noout -out server.key
openssl req -new -key server.key -subj "/CN=kube-apiserver" -out server.csr
printf '%s\n' \
  "basicConstraints=critical,CA:FALSE" \
  "keyUsage=critical,digitalSignature,keyEncipherment" \
  "extendedKeyUsage=serverAuth" \
  "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" > server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days $DAYS \
  -extfile server.ext -out server.crt

# Client certificate: user xctl-tester in group system:masters
openssl ecparam -name $CURVE -genkey -noout -out client.key
openssl req -new -key client.key -subj "/O=system:masters/CN=xctl-tester" -out client.csr
printf '%s\n' \
  "basicConstraints=critical,CA:FALSE" \
  "keyUsage=critical,digitalSignature,keyEncipherment" \
  "extendedKeyUsage=clientAuth" > client.ext
openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days $DAYS \
  -extfile client.ext -out client.crt

# An unrelated CA, and a client cert it signed (for "wrong CA" tests)
openssl ecparam -name $CURVE -genkey -noout -out other-ca.key
openssl req -x509 -new -key other-ca.key -sha256 -days $DAYS -subj "/CN=unrelated-test-ca" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
  -out other-ca.crt
openssl ecparam -name $CURVE -genkey -noout -out other-client.key
openssl req -new -key other-client.key -subj "/O=system:masters/CN=xctl-tester" -out other-client.csr
openssl x509 -req -in other-client.csr -CA other-ca.crt -CAkey other-ca.key -CAcreateserial -sha256 -days $DAYS \
  -extfile client.ext -out other-client.crt

rm -f ./*.csr ./*.ext ./*.srl
