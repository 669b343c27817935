/**
 * What the API's enum values are called for people, in the two languages of the console
 * (its own i18n tables hold the same words): used by the exports and the printed case file.
 */
export type Lang = "en" | "zh";

const words: Record<Lang, Record<string, string>> = {
  zh: {
    candidate: "待审核",
    confirmed: "已确认",
    rejected: "已驳回",
    merged: "已合并",
    dispatched: "已派遣",
    handled: "已处置",
    verified: "已核查",
    closed: "已结案",
    education: "教育劝导",
    order_to_correct: "责令改正",
    file_case: "立案",
    no_case_filed: "不予立案",
    not_a_case: "非转案",
    street_vending: "流动摊贩",
    shop_overflow: "店外经营",
    enforcement: "执法",
    dissuasion: "劝导",
    yes: "是",
    no: "否",
  },
  en: {
    candidate: "Candidate",
    confirmed: "Confirmed",
    rejected: "Rejected",
    merged: "Merged",
    dispatched: "Dispatched",
    handled: "Handled",
    verified: "Verified",
    closed: "Closed",
    education: "Education",
    order_to_correct: "Order to correct",
    file_case: "File a case",
    no_case_filed: "No case filed",
    not_a_case: "Not a case",
    street_vending: "Street vending",
    shop_overflow: "Shop overflow",
    enforcement: "Enforcement",
    dissuasion: "Dissuasion",
    yes: "Yes",
    no: "No",
  },
};

/** The word for an enum value; an unknown value (a rule added later) is shown as it is. */
export const wordFor = (value: string, lang: Lang): string => words[lang][value] ?? value;
