"""One sentence, in Chinese and in English, saying why a ring was flagged, with numbers.

Templates are keyed by the job that found the ring's strongest candidate; a
fact a template needs but the job did not record falls back to a generic
sentence, so a summary never shows a placeholder.
"""

from __future__ import annotations

import re

__all__ = ["summarise", "TYPOLOGY_ZH"]

TYPOLOGY_ZH = {"card_cashout": "空刷套现", "induced_admission": "诱导住院", "card_lending": "借卡",
               "impersonation": "冒名就医购药", "drug_resale": "回流药", "prescription_collusion": "医药串通",
               "fictitious_services": "虚构医药服务", "other": "其他"}

_TEMPLATES: dict[str, tuple[str, str]] = {
    "lockstep": ("{cards} 张医保卡在机构 {facility} 反复集中结算（{bursts} 次突发，最多 {max_cards} 张卡在 30 分钟内）",
                 "{cards} cards settled together at facility {facility} in {bursts} bursts "
                 "(up to {max_cards} cards within 30 minutes)"),
    "shared_identifiers": ("{persons} 人跨 {linked_households} 个家庭共用 {identifiers} 个电话/账户/设备",
                           "{persons} persons of {linked_households} households share {identifiers} phones, "
                           "accounts or devices"),
    "co_admission": ("{patients} 名患者集中入住 {facility}（{waves} 批同时入院，{same_diagnosis_pct}% 同一诊断，"
                     "{far_pct}% 来自外地，{recruiters} 名中间人与多名患者相连）",
                     "{patients} patients admitted to {facility} ({waves} waves admitted together, "
                     "{same_diagnosis_pct}% with one diagnosis, {far_pct}% from other regions, {recruiters} "
                     "go-betweens tied to several of them)"),
    "impersonation": ("{persons} 张医保卡在 {facility} 出现冒名迹象（死亡后结算 {after_death} 人，异地同日 "
                      "{two_places} 人，年龄/性别不符 {incompatible} 人）",
                      "{persons} cards show impersonation at {facility} ({after_death} used after death, "
                      "{two_places} in two regions the same day, {incompatible} incompatible with age or sex)"),
    "prescription_flow": ("医生 {doctor} 的 {share_pct}% 处方流向药店 {pharmacy}（同行仅 {peer_pct}%），"
                          "{high_pct}% 的{inflated_zh}（该医生在别处、该药店对别的医生仅 {elsewhere_high_pct}%）",
                          "doctor {doctor} sent {share_pct}% of prescriptions to pharmacy {pharmacy} "
                          "(peers {peer_pct}%), {high_pct}% of {inflated_en} "
                          "(the doctor elsewhere and the pharmacy for others: {elsewhere_high_pct}%)"),
    "drug_resale": ("{persons} 人在 {facilities} 家机构超量购买同类药品，供药天数为常规的 {supply_ratio} 倍",
                    "{persons} persons obtained the same drugs at {facilities} facilities, "
                    "{supply_ratio}x the usual supply"),
    "shop_cashout": ("{persons} 人跨 {linked_households} 个家庭由共用电话/账户相连，集中在进销存或追溯码异常的机构 "
                     "{facility} 结算",
                     "{persons} persons of {linked_households} households tied by shared phones or accounts "
                     "claim at facility {facility}, whose stock ledger or trace codes do not add up"),
    "resold_packs": ("{persons} 张分属 {families} 个家庭的医保卡在机构 {facility} 的 {resold_claims} 笔结算"
                     "所售药品的追溯码在其他结算中再次售出",
                     "{persons} cards of {families} families at facility {facility}: {resold_claims} of their "
                     "claims sold packs whose traceability codes were sold on another claim too"),
    "collected_cards": ("{cards_in_window} 名分属不同家庭的参保人（至少一人在职年龄）由共用电话/账户/设备相连（共 "
                        "{linked_households} 个家庭），其医保卡在机构 {facility} 相隔 30 分钟内一同结算 {sessions} 次",
                        "{cards_in_window} cardholders of different households, one of working age at least, tied by "
                        "shared phones, accounts or devices ({linked_households} households), swiped together within "
                        "30 minutes at facility {facility} on {sessions} days"),
    "untreated_cards": ("{cards_in_window} 张分属不同家庭的医保卡在药店 {facility} 相隔 30 分钟内一同结算 {sessions} 次，"
                        "其中 {untreated_sales} 笔高价药的诊断从未见于持卡人的门诊或住院记录",
                        "{cards_in_window} cards of different families swiped together within 30 minutes at pharmacy "
                        "{facility} on {sessions} days; {untreated_sales} of their costly drug sales are for a "
                        "diagnosis the cardholder never had at a doctor's or a hospital"),
    "fictitious_services": ("机构 {facility} 为 {patients} 名患者开具 {bills} 张相同账单，其中 {never_elsewhere} 人"
                            "从未在别处就诊",
                            "facility {facility} billed {bills} identical bills to {patients} patients, "
                            "{never_elsewhere} of them never seen elsewhere"),
    "session_courses": ("机构 {facility} 为 {patients} 名患者按疗程连续计费 {sessions} 次（每人中位 {per_patient} 次），"
                        "这些患者在别处的就诊中位仅 {elsewhere} 次（同类机构患者中位 {peer_elsewhere} 次）",
                        "facility {facility} billed {sessions} sessions in courses to {patients} patients "
                        "({per_patient} each on median), who were seen elsewhere {elsewhere} times on median "
                        "(patients of its kind of facility: {peer_elsewhere})"),
}

#: clauses a template gains when the job recorded their fact (a resale batch that started together)
_CLAUSES: dict[str, list[tuple[str, str, str]]] = {
    "drug_resale": [("started_within", "，首次购药相隔不超过 {started_within} 天",
                     ", first fills within {started_within} days of each other"),
                    ("returned_packs", "，其中 {returned_packs} 盒药的追溯码又在其他机构售出",
                     ", {returned_packs} of their packs sold again at other facilities by traceability code")],
    "shared_identifiers": [("cards_in_window", "，同一设备 30 分钟内为 {cards_in_window} 张卡结算",
                            "; one device settled {cards_in_window} cards within 30 minutes"),
                           ("crowded_days", "，同一设备在 {crowded_days} 天里各为超过 3 个家庭的卡结算",
                            "; one device settled the cards of more than three households on each of {crowded_days} "
                            "days"),
                           ("carried_sessions", "，同一组卡由 {carried_devices} 部手机在 {carried_facilities} 家机构"
                            "相隔数分钟结算 {carried_sessions} 次",
                            ", the same cards presented minutes apart {carried_sessions} times on {carried_devices} "
                            "phones at {carried_facilities} facilities")],
    "prescription_flow": [("crowded_days", "，其中 {crowded_high} 次超量集中在 {crowded_days} 天内",
                           ", {crowded_high} of them within {crowded_days} days"),
                          ("crowded_flow_days", "，{crowded_fills} 次处方集中在 {crowded_flow_days} 天内",
                           ", {crowded_fills} of the fills within {crowded_flow_days} days"),
                          ("tied_accounts", "，医生与该药店或其药师共用 {tied_accounts} 个账户/电话/邮箱",
                           ", the doctor shares {tied_accounts} accounts, phones or e-mail addresses with the "
                           "pharmacy or its staff")],
    "collected_cards": [("untreated_sales", "，其中 {untreated_sales} 笔高额结算的诊断从未见于持卡人的门诊或住院记录",
                         ", {untreated_sales} of their costly sales for a diagnosis the cardholder never had at a "
                         "doctor's or a hospital")],
    "resold_packs": [("untreated_sales", "，其中 {untreated_sales} 笔高价药的诊断从未见于持卡人的门诊或住院记录",
                      ", {untreated_sales} of their costly drug sales for a diagnosis the cardholder never had "
                      "at a doctor's or a hospital")],
    "co_admission": [("presenting_families", "，同一部手机为 {presenting_families} 个家庭的患者办理入院",
                      ", one phone presented the admissions of {presenting_families} families"),
                     ("alike_stays", "，{alike_stays} 次住院的费用明细与他人完全相同",
                      ", {alike_stays} stays billed item for item like another patient's")],
}


#: what a collusion pair's inflation was counted in: fills' boxes from fee lines, or patients' bills where none
_INFLATED = {"quantity": {"inflated_zh": "处方药量超过常规上限", "inflated_en": "fills above the usual maximum quantity"},
             "bill": {"inflated_zh": "患者账单金额超过同诊断常规水平",
                      "inflated_en": "patients billed above the usual for their diagnosis"}}


#: a count of one before a plural noun the templates write ("on 1 days"), made singular
_ONE = re.compile(r"(?<![\d.,])(1) (day|claim|card|stay|bill|session|pack)s\b")


def summarise(typology: str, job: str, facts: dict, size: int, n_claims: int, fund_paid: float) -> tuple[str, str]:
    """``(zh, en)`` sentences for a ring.

    >>> zh, en = summarise("other", "unknown", {}, 3, 10, 1234.5)
    >>> en
    'other: 3 members, 10 claims, fund paid 1,234.50 yuan'
    >>> batch = {"persons": 4, "facilities": 3, "supply_ratio": 2.5}
    >>> summarise("drug_resale", "drug_resale", batch, 4, 9, 100.0)[1].split(";")[0]
    '4 persons obtained the same drugs at 3 facilities, 2.5x the usual supply'
    >>> summarise("drug_resale", "drug_resale", batch | {"started_within": 6}, 4, 9, 100.0)[1].split(";")[0]
    '4 persons obtained the same drugs at 3 facilities, 2.5x the usual supply, first fills within 6 days of each other'
    >>> lent = {"persons": 7, "linked_households": 6, "identifiers": 2}
    >>> for part in summarise("card_lending", "shared_identifiers", lent | {"crowded_days": 2}, 7, 85, 100.0)[1].split("; "):
    ...     print(part)
    7 persons of 6 households share 2 phones, accounts or devices
    one device settled the cards of more than three households on each of 2 days
    85 claims, fund paid 100.00 yuan
    >>> summarise("card_lending", "shared_identifiers", lent, 7, 85, 100.0)[1].split("; ")[1]
    '85 claims, fund paid 100.00 yuan'
    >>> once = {"facility": "P2", "persons": 3, "cards_in_window": 2, "linked_households": 3, "sessions": 1}
    >>> summarise("card_cashout", "collected_cards", once, 3, 2, 600.0)[1].split(" at ")[-1]
    'facility P2 on 1 day; 2 claims, fund paid 600.00 yuan'
    >>> summarise("card_cashout", "collected_cards", once | {"sessions": 21}, 3, 2, 600.0)[1].split(" at ")[-1]
    'facility P2 on 21 days; 2 claims, fund paid 600.00 yuan'
    """
    tail_zh = f"，共 {n_claims} 笔结算，基金支付 {fund_paid:,.2f} 元"
    tail_en = f"; {n_claims} claims, fund paid {fund_paid:,.2f} yuan"
    template = _TEMPLATES.get(job)
    facts = {**facts, **_INFLATED.get(facts.get("inflated", "quantity"), {})}
    if template:
        clauses = [(zh, en) for fact, zh, en in _CLAUSES.get(job, []) if fact in facts]
        clause_zh, clause_en = "".join(zh for zh, _ in clauses), "".join(en for _, en in clauses)
        try:
            return ((template[0] + clause_zh).format(**facts) + tail_zh,
                    _ONE.sub(r"\1 \2", (template[1] + clause_en).format(**facts)) + tail_en)
        except (KeyError, IndexError, ValueError):
            pass
    label = TYPOLOGY_ZH.get(typology, typology)
    return (f"{label}：{size} 名成员{tail_zh}",
            f"{typology}: {size} members, {n_claims} claims, fund paid {fund_paid:,.2f} yuan")
