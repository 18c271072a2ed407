# -*- coding: utf-8 -*-
# Copyright (c) 2026, redis_enterprise.software contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A private CA and a server certificate in the state directory (reused when present).

Files: ``ca.pem`` (the CA bundle clients verify with), ``ca-key.pem``, ``server.pem``, ``server-key.pem``.
The server certificate names ``localhost`` and the listening IP, or only ``cert_name`` when one is given
(for hostname-mismatch tests). It is reissued from the same CA when the wanted names change.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import ssl

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_FILE = 'ca.pem'
CA_KEY_FILE = 'ca-key.pem'
CERT_FILE = 'server.pem'
KEY_FILE = 'server-key.pem'


def _write(path, data):
    tmp = path + '.tmp'
    with open(tmp, 'wb') as handle:
        handle.write(data)
    os.chmod(tmp, 0o600 if path.endswith('-key.pem') else 0o644)
    os.replace(tmp, path)


def _key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def _validity():
    now = datetime.datetime.now(datetime.timezone.utc)
    return now - datetime.timedelta(days=1), now + datetime.timedelta(days=3650)


def _new_ca():
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'rs-sim'),
                      x509.NameAttribute(NameOID.COMMON_NAME, 'rs-sim test CA')])
    not_before, not_after = _validity()
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return key, cert


def _san_entries(names):
    entries = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return entries


def _new_server_cert(ca_key, ca_cert, names):
    key = ec.generate_private_key(ec.SECP256R1())
    not_before, not_after = _validity()
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName(_san_entries(names)), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


def _cert_names(path):
    with open(path, 'rb') as handle:
        cert = x509.load_pem_x509_certificate(handle.read())
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set()
    return {str(value) for value in san.get_values_for_type(x509.DNSName)} | \
        {str(value) for value in san.get_values_for_type(x509.IPAddress)}


def server_names(host, cert_name=None):
    """The names the server certificate carries."""
    if cert_name:
        return [cert_name]
    names = ['localhost', host]
    if host != '127.0.0.1':
        names.append('127.0.0.1')
    return list(dict.fromkeys(names))


def ensure_certs(state_dir, host='127.0.0.1', cert_name=None):
    """Create (or reuse) the CA and the server certificate; return ``(ca_path, cert_path, key_path)``."""
    os.makedirs(state_dir, exist_ok=True)
    ca_path, ca_key_path = os.path.join(state_dir, CA_FILE), os.path.join(state_dir, CA_KEY_FILE)
    cert_path, key_path = os.path.join(state_dir, CERT_FILE), os.path.join(state_dir, KEY_FILE)
    names = server_names(host, cert_name)
    if os.path.exists(ca_path) and os.path.exists(ca_key_path):
        with open(ca_key_path, 'rb') as handle:
            ca_key = serialization.load_pem_private_key(handle.read(), password=None)
        with open(ca_path, 'rb') as handle:
            ca_cert = x509.load_pem_x509_certificate(handle.read())
    else:
        ca_key, ca_cert = _new_ca()
        _write(ca_key_path, _key_pem(ca_key))
        _write(ca_path, ca_cert.public_bytes(serialization.Encoding.PEM))
        for stale in (cert_path, key_path):
            if os.path.exists(stale):
                os.remove(stale)
    if not (os.path.exists(cert_path) and os.path.exists(key_path) and _cert_names(cert_path) == set(names)):
        key, cert = _new_server_cert(ca_key, ca_cert, names)
        _write(key_path, _key_pem(key))
        _write(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return ca_path, cert_path, key_path


def server_context(cert_path, key_path):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_path, key_path)
    return context
