/**
 * Form titles and legal basis change with the law: pick the rule set by the dossier's reception date
 * (domain-vn.md: "treat the rules as versioned configuration").
 */
export interface FormRuleSet {
  effectiveFrom: string;
  basis: string;
  titles: { receipt: string; supplement: string; refusal: string; apology: string };
  formNumbers: { receipt: string; supplement: string; refusal: string; apology: string };
}

const RULE_SETS: FormRuleSet[] = [
  {
    effectiveFrom: '2019-01-06',
    basis: 'Thông tư số 01/2018/TT-VPCP',
    titles: {
      receipt: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
      supplement: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
      refusal: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
      apology: 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
    },
    formNumbers: { receipt: '01', supplement: '02', refusal: '03', apology: '04' },
  },
  {
    effectiveFrom: '2025-09-15',
    basis: 'Thông tư số 03/2025/TT-VPCP',
    titles: {
      receipt: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
      supplement: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
      refusal: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
      apology: 'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT',
    },
    formNumbers: { receipt: '01', supplement: '02', refusal: '03', apology: '04' },
  },
];

export function formRuleSet(receptionDate: string): FormRuleSet {
  let chosen = RULE_SETS[0]!;
  for (const set of RULE_SETS) {
    if (receptionDate >= set.effectiveFrom) {
      chosen = set;
    }
  }
  return chosen;
}
