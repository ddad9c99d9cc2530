"""Build import files in memory."""

from __future__ import annotations

import io

from openpyxl import Workbook

from tests.factories import valid_ric, valid_uscc

OPERATOR_HEAD = ["name_zh", "name_en", "entity_type", "uscc", "province", "entity_number"]
MP_HEAD = ["operator", "name", "platform", "appid", "launch_date", "lifecycle", "icp_number"]
DOMAIN_HEAD = ["operator", "name", "registrar", "expires_on", "icp_number"]
PERSON_HEAD = ["operator", "role", "name", "id_number", "mobile", "service"]


def portfolio_sheets(n: int, *, start: int = 5000) -> dict[str, list[list]]:
    """n operators in Guangdong, each with a mini-program, a domain and two persons."""
    ops, mps, doms, people = [OPERATOR_HEAD], [MP_HEAD], [DOMAIN_HEAD], [PERSON_HEAD]
    for i in range(n):
        seq = start + i
        uscc = valid_uscc(seq)
        ops.append([f"导入测试{seq}有限公司", f"Import {seq}", "企业", uscc, "广东", ""])
        mps.append(
            [
                uscc,
                f"导入小程序{seq}",
                "微信",
                f"wx{seq:016x}",
                "2024-05-01",
                "已上线",
                f"粤ICP备{2024000000 + seq}号-1X",
            ]
        )
        doms.append(
            [uscc, f"import{seq}.cn", "阿里云", "2030-01-31", f"粤ICP备{2024000000 + seq}号-2"]
        )
        people.append([uscc, "主体负责人", f"张{seq}", valid_ric(seq), f"139{seq:08d}", ""])
        people.append(
            [uscc, "服务负责人", f"李{seq}", valid_ric(seq + 1), f"138{seq:08d}", f"wx{seq:016x}"]
        )
    return {"主办单位": ops, "Mini-programs and apps": mps, "domains": doms, "负责人": people}


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
