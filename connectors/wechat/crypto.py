"""WeChat's message crypto ("safe mode"), written against the documented algorithm with
`cryptography` rather than the unmaintained sample SDK.

Every push to a third-party platform is XML whose `Encrypt` element is
base64(AES-256-CBC(plaintext)), key = base64decode(EncodingAESKey + "="), IV = key[:16],
PKCS#7 padding to a multiple of 32 bytes (not AES's 16), plaintext = 16 random bytes +
4-byte big-endian length + message XML + the receiving AppID. The query's `msg_signature` is
the SHA-1 of the sorted token, timestamp, nonce and Encrypt value.

XML is parsed with lxml set never to resolve entities, never to touch the network and to
refuse documents with a DTD at all: a push has no business declaring entities.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from lxml import etree

BLOCK = 32  # WeChat pads to 32 bytes, whatever AES's own block size is.
RANDOM_PREFIX = 16


class CryptoError(Exception):
    """The encrypted value cannot be read with this key (bad base64, length, padding)."""


class AppIdMismatchError(CryptoError):
    """It decrypted, but for another receiver: the push was not meant for this account."""


class XmlError(Exception):
    """Not a well-formed, DTD-free XML message."""


def signature(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    """The `msg_signature` WeChat sends: SHA-1 hex of the four strings sorted and joined."""
    joined = "".join(sorted([token, str(timestamp), nonce, encrypted]))
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()  # noqa: S324 (the protocol's)


def signature_matches(expected: str, given: str) -> bool:
    """Constant-time comparison, so the signature cannot be guessed byte by byte."""
    return hmac.compare_digest(expected.encode("ascii"), given.encode("ascii", "replace"))


def aes_key(encoding_aes_key: str) -> bytes:
    """The 32-byte AES key the 43-character EncodingAESKey stands for."""
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CryptoError("EncodingAESKey is not base64") from exc
    if len(key) != 32:
        raise CryptoError("EncodingAESKey is not 32 bytes")
    return key


def _pad(data: bytes) -> bytes:
    n = BLOCK - len(data) % BLOCK
    return data + bytes([n]) * n


def _unpad(data: bytes) -> bytes:
    if not data:
        raise CryptoError("empty plaintext")
    n = data[-1]
    if not 1 <= n <= BLOCK or n > len(data) or data[-n:] != bytes([n]) * n:
        raise CryptoError("bad padding")
    return data[:-n]


def encrypt(
    encoding_aes_key: str, message: bytes, *, appid: str, random_prefix: bytes | None = None
) -> str:
    """The `Encrypt` value of `message` for receiver `appid` (replies, fakes and tests)."""
    key = aes_key(encoding_aes_key)
    prefix = os.urandom(RANDOM_PREFIX) if random_prefix is None else random_prefix
    if len(prefix) != RANDOM_PREFIX:
        raise CryptoError("the random prefix is 16 bytes")
    plain = _pad(prefix + struct.pack(">I", len(message)) + message + appid.encode("utf-8"))
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode("ascii")


def decrypt(encoding_aes_key: str, encrypted_b64: str, *, appid: str) -> bytes:
    """The message XML inside `encrypted_b64`; CryptoError when it is not a value this key
    made, AppIdMismatchError when it was made for another receiver than `appid`."""
    key = aes_key(encoding_aes_key)
    try:
        data = base64.b64decode(encrypted_b64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CryptoError("not base64") from exc
    if not data or len(data) % 16:
        raise CryptoError("not a whole number of AES blocks")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = _unpad(decryptor.update(data) + decryptor.finalize())
    body = plain[RANDOM_PREFIX:]
    if len(body) < 4:
        raise CryptoError("too short")
    (length,) = struct.unpack(">I", body[:4])
    if length > len(body) - 4:
        raise CryptoError("bad length")
    message, receiver = body[4 : 4 + length], body[4 + length :]
    if not hmac.compare_digest(receiver, appid.encode("utf-8")):
        raise AppIdMismatchError("the message is for another AppID")
    return message


_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    huge_tree=False,
    load_dtd=False,
    dtd_validation=False,
    remove_comments=True,
    remove_pis=True,
)


def parse_xml(data: bytes) -> dict[str, str]:
    """The root's child elements as {tag: text} (WeChat messages are flat; nested elements
    give their own text only). A DOCTYPE (and with it any entity declaration) is refused
    before parsing, and the parser would not expand one anyway."""
    if b"<!doctype" in data[:4096].lower():
        raise XmlError("a DTD is not accepted")
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise XmlError("not well-formed XML") from exc
    docinfo = root.getroottree().docinfo if root is not None else None
    if docinfo is None or docinfo.doctype or docinfo.internalDTD is not None:
        raise XmlError("a DTD is not accepted")  # one placed after a long comment
    fields: dict[str, str] = {}
    for child in root:
        if not isinstance(child.tag, str):
            continue  # an entity reference left unexpanded, a comment
        fields[child.tag] = (child.text or "").strip()
    return fields
