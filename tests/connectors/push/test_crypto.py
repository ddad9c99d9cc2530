"""WeChat's message crypto against published vectors and its edge cases."""

from __future__ import annotations

import base64
import struct

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from connectors.wechat import crypto

# WeChat's published sample (WXBizMsgCrypt Sample, C#/Python).
TOKEN = "QDG6eK"
KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
RECEIVER = "wx5823bf96d3bd56c7"
TIMESTAMP = "1409659813"
NONCE = "1372623149"
SIGNATURE = "477715d11cdb4164915debcba66cb864d751f3e6"
ENCRYPTED = (
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3Qczc"
    "dCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjv"
    "d4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnv"
    "w2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22"
    "Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH"
    "2uyPIGHBZZIs2pDBS8R07+qN+E7Q=="
)
# The published Java test: a fixed random prefix gives a fixed ciphertext.
KEY2 = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
RECEIVER2 = "wxb11529c136998cb6"
ENCRYPTED2 = (
    "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=="
)


def test_published_signature():
    assert crypto.signature(TOKEN, TIMESTAMP, NONCE, ENCRYPTED) == SIGNATURE
    assert crypto.signature_matches(SIGNATURE, SIGNATURE)
    assert not crypto.signature_matches(SIGNATURE, SIGNATURE[:-1] + "0")


def test_published_message_decrypts():
    xml = crypto.decrypt(KEY, ENCRYPTED, appid=RECEIVER)
    fields = crypto.parse_xml(xml)
    assert fields["ToUserName"] == RECEIVER
    assert fields["Content"] == "hello"
    assert fields["MsgId"] == "4561255354251345929"


def test_published_encryption_with_a_fixed_prefix():
    out = crypto.encrypt(
        KEY2, "我是中文abcd123".encode(), appid=RECEIVER2, random_prefix=b"aaaabbbbccccdddd"
    )
    assert out == ENCRYPTED2


def test_round_trip_with_utf8_and_every_padding_length():
    for size in range(0, 70):
        message = ("备" * size).encode()[:size] if size % 2 else b"x" * size
        encrypted = crypto.encrypt(KEY, message, appid=RECEIVER)
        assert crypto.decrypt(KEY, encrypted, appid=RECEIVER) == message


def test_wrong_receiver_is_refused():
    with pytest.raises(crypto.AppIdMismatchError):
        crypto.decrypt(KEY, ENCRYPTED, appid="wx0000000000000000")


def test_wrong_key_is_refused():
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(KEY2, ENCRYPTED, appid=RECEIVER)


def _raw(plain: bytes, key_text: str = KEY) -> str:
    key = base64.b64decode(key_text + "=")
    enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(enc.update(plain) + enc.finalize()).decode()


def _body(message: bytes, receiver: bytes = RECEIVER.encode()) -> bytes:
    return b"r" * 16 + struct.pack(">I", len(message)) + message + receiver


@pytest.mark.parametrize(
    "tail",
    [
        b"\x00" * 32,  # pad byte 0
        b"\x21" * 32,  # pad byte 33 (> the 32-byte block)
        b"\x05" * 28 + b"\x04\x05\x05\x05",  # inconsistent padding
    ],
)
def test_bad_padding_is_refused(tail):
    plain = _body(b"<xml/>")
    plain = plain + b"z" * (-len(plain) % 32)  # whole blocks, then a bad last block
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(KEY, _raw(plain + tail), appid=RECEIVER)


def test_padding_of_a_full_32_byte_block_is_accepted():
    message = b"<xml>" + b"a" * 5 + b"</xml>"
    plain = _body(message)
    assert len(plain) % 32 != 0
    pad = 32 - len(plain) % 32
    assert crypto.decrypt(KEY, _raw(plain + bytes([pad]) * pad), appid=RECEIVER) == message
    # aligned exactly: a whole block of 32 × 0x20
    message = b"m" * (64 - 16 - 4 - len(RECEIVER))
    plain = _body(message)
    assert len(plain) % 32 == 0
    assert crypto.decrypt(KEY, _raw(plain + b"\x20" * 32), appid=RECEIVER) == message


def test_length_beyond_the_plaintext_is_refused():
    plain = b"r" * 16 + struct.pack(">I", 10_000) + b"<xml/>" + RECEIVER.encode()
    pad = 32 - len(plain) % 32
    with pytest.raises(crypto.CryptoError, match="length"):
        crypto.decrypt(KEY, _raw(plain + bytes([pad]) * pad), appid=RECEIVER)


@pytest.mark.parametrize("value", ["not base64!", "", "QUJD", base64.b64encode(b"x" * 17).decode()])
def test_garbage_is_refused(value):
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(KEY, value, appid=RECEIVER)


def test_xml_with_an_entity_declaration_is_refused():
    xml = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "AAAA">]><xml><A>&a;</A></xml>'
    with pytest.raises(crypto.XmlError):
        crypto.parse_xml(xml)


def test_xml_with_an_external_entity_is_refused():
    xml = b'<!DOCTYPE x SYSTEM "file:///etc/passwd"><xml><A>b</A></xml>'
    with pytest.raises(crypto.XmlError):
        crypto.parse_xml(xml)


def test_malformed_xml_is_refused():
    with pytest.raises(crypto.XmlError):
        crypto.parse_xml(b"<xml><A>b</xml>")


def test_a_dtd_after_a_long_comment_is_still_refused():
    xml = b"<!--" + b"x" * 5000 + b'--><!DOCTYPE x [<!ENTITY a "AAAA">]><xml><A>&a;</A></xml>'
    with pytest.raises(crypto.XmlError, match="DTD"):
        crypto.parse_xml(xml)


def test_entity_like_text_in_cdata_is_just_text():
    fields = crypto.parse_xml(b"<xml><message><![CDATA[<!ENTITY x> &a;]]></message></xml>")
    assert fields == {"message": "<!ENTITY x> &a;"}
