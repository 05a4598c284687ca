"""SMS through Alibaba Cloud SMS (阿里云短信服务), its SendSms action of the Dysmsapi 2017-05-25 RPC API,
signed as the provider documents (https://www.alibabacloud.com/help/en/sms/signature-method):

    canonicalized = the parameters (all but Signature) sorted by name, each name=value percent-encoded
                    (RFC 3986: space %20, * %2A, ~ kept), joined by &
    StringToSign  = HTTPMethod & percentEncode("/") & percentEncode(canonicalized)
    Signature     = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))

SMS in mainland China goes out only through a signature (签名) and template (模板) the provider approved
beforehand; the message text travels as the template's ${content} variable. Configured by environment:
NOTIFY_SMS_ENDPOINT, NOTIFY_SMS_ACCESS_KEY_ID, NOTIFY_SMS_ACCESS_KEY_SECRET, NOTIFY_SMS_SIGN_NAME,
NOTIFY_SMS_TEMPLATE_CODE. Without a key, SMS is off: a delivery fails permanently and says so."""
import base64
import datetime as dt
import hashlib
import hmac
import json
import uuid
from urllib.parse import quote

import requests

from services.notify.channels import DeliveryError

VERSION = "2017-05-25"
# The provider's per-variable limit for a notification template's variable.
MAX_CONTENT_CHARS = 35
# Codes the provider gives for a request that will never succeed as it stands (bad number, template, key).
PERMANENT_CODES = ("isv.MOBILE_NUMBER_ILLEGAL", "isv.TEMPLATE_MISSING_PARAMETERS", "isv.SMS_TEMPLATE_ILLEGAL",
                   "isv.SMS_SIGNATURE_ILLEGAL", "isv.INVALID_PARAMETERS", "InvalidAccessKeyId.NotFound",
                   "SignatureDoesNotMatch", "isv.ACCOUNT_NOT_EXISTS", "isv.MOBILE_COUNT_OVER_LIMIT")


def percent_encode(value: str) -> str:
    return quote(value, safe="~")  # quote already encodes space as %20 and * as %2A


def sign(parameters: dict[str, str], secret: str, method: str = "POST") -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(parameters.items()))
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSms:
    def __init__(self, endpoint: str, access_key_id: str, access_key_secret: str, sign_name: str,
                 template_code: str, timeout: float = 10, clock=lambda: dt.datetime.now(dt.timezone.utc)):
        self.endpoint = endpoint
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.sign_name = sign_name
        self.template_code = template_code
        self.timeout = timeout
        self.clock = clock
        self.session = requests.Session()

    @property
    def configured(self) -> bool:
        return bool(self.access_key_id and self.access_key_secret and self.sign_name and self.template_code)

    def parameters(self, phone: str, content: str) -> dict[str, str]:
        """The signed request's form fields."""
        parameters = {
            "AccessKeyId": self.access_key_id, "Action": "SendSms", "Format": "JSON", "RegionId": "cn-hangzhou",
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": str(uuid.uuid4()), "SignatureVersion": "1.0",
            "Timestamp": self.clock().strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": VERSION,
            "PhoneNumbers": phone.removeprefix("+86"), "SignName": self.sign_name,
            "TemplateCode": self.template_code,
            "TemplateParam": json.dumps({"content": content[:MAX_CONTENT_CHARS]}, ensure_ascii=False),
        }
        return {**parameters, "Signature": sign(parameters, self.access_key_secret)}

    def send(self, phone: str, content: str) -> None:
        if not self.configured:
            raise DeliveryError("SMS is not configured (NOTIFY_SMS_ACCESS_KEY_ID and the rest)", permanent=True)
        try:
            response = self.session.post(self.endpoint, data=self.parameters(phone, content), timeout=self.timeout)
        except requests.RequestException as error:
            raise DeliveryError(f"SMS provider unreachable: {type(error).__name__}") from None
        try:
            answer = response.json()
        except ValueError:
            raise DeliveryError(f"SMS provider answered {response.status_code} without JSON",
                                permanent=False) from None
        code = str(answer.get("Code", ""))
        if response.status_code == 200 and code == "OK":
            return
        raise DeliveryError(f"SMS provider refused: {code} {answer.get('Message', '')}".strip(),
                            permanent=code in PERMANENT_CODES)
