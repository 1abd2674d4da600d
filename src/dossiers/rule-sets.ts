/**
 * The legal texts in force change: pick the rule set by the dossier's reception date (domain-vn.md: "treat the
 * rules as versioned configuration"), so a dossier received under NĐ 61/2018 keeps its citations and forms
 * and one received today names NĐ 118/2025/NĐ-CP and TT 03/2025/TT-VPCP.
 */
export type FormKind = 'receipt' | 'supplement' | 'refusal' | 'apology' | 'stop';

export interface FormRuleSet {
  effectiveFrom: string;
  /** The decree on the one-stop mechanism in force. */
  decree: {
    /** "Nghị định số 118/2025/NĐ-CP" */
    name: string;
    /** "NĐ 118/2025" */
    short: string;
    /**
     * Articles the product cites, where the text is known: the full restart of the clock after a supplement
     * and the apology due before the deadline, once. Undefined: the decree is cited without an article.
     */
    articles: { supplementRestart?: string; apologyOnce?: string };
  };
  /** The circular whose forms are printed: footer of every form. */
  basis: string;
  titles: Record<FormKind, string>;
  /** Form numbers in the circular's annex; null where it has no form (the notice is still printed). */
  formNumbers: Record<FormKind, string | null>;
  /** The apology asks to extend the time to a new date (TT 03/2025) rather than only giving a new date. */
  apologyAsksExtension: boolean;
}

const TT01_TITLES: Record<FormKind, string> = {
  receipt: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
  supplement: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
  refusal: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
  apology: 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
  stop: 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ',
};
const TT01_NUMBERS: Record<FormKind, string | null> = {
  receipt: '01',
  supplement: '02',
  refusal: '03',
  apology: '04',
  // TT 01/2018 has no stop notice: the refusal slip (Mẫu 03) is for refusing only, never for stopping.
  stop: null,
};
const ND61 = {
  name: 'Nghị định số 61/2018/NĐ-CP',
  short: 'NĐ 61/2018',
  articles: { supplementRestart: 'Điều 19 khoản 4', apologyOnce: 'Điều 19 khoản 9' },
};
const ND118 = { name: 'Nghị định số 118/2025/NĐ-CP', short: 'NĐ 118/2025', articles: {} };

export const RULE_SETS: readonly FormRuleSet[] = [
  {
    effectiveFrom: '2018-06-21',
    decree: ND61,
    basis: 'Thông tư số 01/2018/TT-VPCP',
    titles: TT01_TITLES,
    formNumbers: TT01_NUMBERS,
    apologyAsksExtension: false,
  },
  // NĐ 118/2025 replaced NĐ 61/2018 on 1/7/2025; TT 01/2018's forms stayed in use until TT 03/2025.
  {
    effectiveFrom: '2025-07-01',
    decree: ND118,
    basis: 'Thông tư số 01/2018/TT-VPCP',
    titles: TT01_TITLES,
    formNumbers: TT01_NUMBERS,
    apologyAsksExtension: false,
  },
  {
    effectiveFrom: '2025-09-15',
    decree: ND118,
    basis: 'Thông tư số 03/2025/TT-VPCP',
    titles: {
      receipt: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
      supplement: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
      refusal: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
      apology: 'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT',
      stop: 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ',
    },
    formNumbers: { receipt: '01', supplement: '02', refusal: '03', apology: '04', stop: '05' },
    apologyAsksExtension: true,
  },
];

/** The rule set in force on a reception date (YYYY-MM-DD, Vietnam). */
export function formRuleSet(receptionDate: string): FormRuleSet {
  let chosen = RULE_SETS[0]!;
  for (const set of RULE_SETS) {
    if (receptionDate >= set.effectiveFrom) {
      chosen = set;
    }
  }
  return chosen;
}

/** "NĐ 61/2018, Điều 19 khoản 9" or, where the article is not known, "NĐ 118/2025". */
export function citation(set: FormRuleSet, article: keyof FormRuleSet['decree']['articles']): string {
  const a = set.decree.articles[article];
  return a ? `${set.decree.short}, ${a}` : set.decree.short;
}

/** "Phiếu xin lỗi và hẹn lại ngày trả kết quả": a form's title as a sentence starts. */
export function formName(set: FormRuleSet, kind: FormKind): string {
  const lower = set.titles[kind].toLowerCase();
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}
