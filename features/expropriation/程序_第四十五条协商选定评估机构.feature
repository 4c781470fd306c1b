# language: zh-CN
@engine
功能: 第四十五条 被征收人协商选定房地产价格评估机构
  临兰政发〔2022〕1号《临沂市兰山区国有土地上房屋征收与补偿办法》第四十五条第一款原文（标点照录公报，含半角逗号）：
  「房屋征收部门应当在房屋征收决定作出后,将房地产价格评估机构选定方式等相关事项在房屋征收范围内予以公布,并告知被征收人有协商选定房地产价格评估机构的权利。被征收人协商选定房地产价格评估机构的期限为10日。超过半数的被征收人签字认可的房地产价格评估机构,视为协商选定。」
  10 日自公布之日的次日起算，最后一日为法定休假日的顺延至其后第一个工作日（《民法典》第二百零一条、第二百零三条）。
  超过半数签字认可、但选定之日晚于截止日的，不是在公告协商期内协商选定，列 appraiser_negotiation_late（warning，解释 I-29：
  第三款为协商不成另设了选定方式，不作违规结论）；签字认可人数 × 2 不大于被征收人总数
  （不“超过半数”，恰好半数也不算）的列 appraiser_not_negotiated（warning），不论日期；期内且超过半数的列 appraiser_negotiated（info）。
  已选定而签字认可人数或被征收人总数未填的，列 appraiser_signatures_missing（warning）。
  已选定或超过半数签字认可、但公布之日或选定之日未填的，列 appraiser_dates_missing（warning），不作期限结论。
  日历未覆盖的年份请求被拒绝并写明年份。在进程内由引擎计算。

  场景大纲: 10 日协商期限（超过半数签字认可）
    假如 征收决定于 <决定日期> 作出的征收项目
    而且 被征收人共 100 人，其中 60 人签字认可所选评估机构
    而且 程序时间 "appraiser_selection_announced" 为 <公布日期>
    而且 程序时间 "appraiser_selected" 为 <选定日期>
    当 按征收程序检查
    那么 有一条 "<提示>" 提示，级别为 "<级别>"，依据包含 "第四十五条"

    例子:
      | 决定日期       | 公布日期       | 选定日期       | 提示                          | 级别        | 手算                                                       |
      | 2023-03-01 | 2023-03-06 | 2023-03-16 | appraiser_negotiated        | info      | 自 03-07 起算 10 日至 03-16（周四），最后一日选定                          |
      | 2023-03-01 | 2023-03-06 | 2023-03-17 | appraiser_negotiation_late  | warning   | 晚于 03-16（解释 I-29）                                        |
      | 2024-01-29 | 2024-02-01 | 2024-02-18 | appraiser_negotiated        | info      | 10 日届满 02-11 春节（02-10 至 02-17 放假），顺延至 02-18（周日，调休上班）       |
      | 2024-01-29 | 2024-02-01 | 2024-02-19 | appraiser_negotiation_late  | warning   | 晚于 02-18（解释 I-29）                                        |

  场景: 协商逾期的，提示写明顺延后的截止日
    假如 征收决定于 2024-01-29 作出的征收项目
    而且 被征收人共 100 人，其中 60 人签字认可所选评估机构
    而且 程序时间 "appraiser_selection_announced" 为 2024-02-01
    而且 程序时间 "appraiser_selected" 为 2024-02-19
    当 按征收程序检查
    那么 "appraiser_negotiation_late" 提示写明 "2024-02-01"
    而且 "appraiser_negotiation_late" 提示写明 "顺延至 2024-02-18"
    而且 "appraiser_negotiation_late" 提示写明 "第四十五条第三款"
    而且 没有 "appraiser_negotiated" 提示
    而且 采用了解释 "I-29"

  场景: 未超过半数签字认可的，逾期也只提示可另行选定，不同时说“协商选定逾期”
    假如 征收决定于 2023-05-10 作出的征收项目
    而且 被征收人共 100 人，其中 40 人签字认可所选评估机构
    而且 程序时间 "appraiser_selection_announced" 为 2023-05-12
    而且 程序时间 "appraiser_selected" 为 2023-05-30
    当 按征收程序检查
    # 40 × 2 = 80 ≤ 100：不视为协商选定；协商期内协商不成的，依第三款另行选定
    那么 有一条 "appraiser_not_negotiated" 提示，级别为 "warning"，依据包含 "第四十五条"
    而且 没有 "appraiser_negotiation_late" 提示

  场景: 已选定而签字认可人数未填的，提示无法核对是否超过半数
    假如 征收决定于 2023-03-01 作出的征收项目
    而且 程序时间 "appraiser_selection_announced" 为 2023-03-06
    而且 程序时间 "appraiser_selected" 为 2023-03-10
    当 按征收程序检查
    那么 有一条 "appraiser_signatures_missing" 提示，级别为 "warning"，依据包含 "第四十五条"
    而且 没有 "appraiser_negotiated" 提示

  场景大纲: 超过半数的被征收人签字认可的，视为协商选定
    假如 征收决定于 2023-03-01 作出的征收项目
    而且 被征收人共 <总数> 人，其中 <签字> 人签字认可所选评估机构
    而且 程序时间 "appraiser_selection_announced" 为 2023-03-06
    而且 程序时间 "appraiser_selected" 为 2023-03-10
    当 按征收程序检查
    那么 有一条 "<提示>" 提示，级别为 "<级别>"，依据包含 "第四十五条"
    而且 没有 "<不应有>" 提示
    而且 没有 "appraiser_negotiation_late" 提示

    例子:
      | 总数  | 签字 | 提示                       | 级别      | 不应有                      | 手算                               |
      | 100 | 51 | appraiser_negotiated     | info    | appraiser_not_negotiated | 51 × 2 = 102 > 100，超过半数           |
      | 100 | 50 | appraiser_not_negotiated | warning | appraiser_negotiated     | 50 × 2 = 100，恰好半数，不“超过半数”          |
      | 101 | 51 | appraiser_negotiated     | info    | appraiser_not_negotiated | 51 × 2 = 102 > 101                 |
      | 101 | 50 | appraiser_not_negotiated | warning | appraiser_negotiated     | 50 × 2 = 100 ≤ 101                 |

  场景: 协商期限落入日历未覆盖的年份的，请求被拒绝并写明年份
    假如 征收决定于 2026-07-31 作出的征收项目
    而且 被征收人共 100 人，其中 60 人签字认可所选评估机构
    而且 程序时间 "appraiser_selection_announced" 为 2026-12-28
    而且 程序时间 "appraiser_selected" 为 2026-12-30
    当 按征收程序检查
    # 2026-12-28 + 10 日 = 2027-01-07：chinese_calendar 只收录到 2026 年
    那么 请求被拒绝，错误信息写明 "2027"

  场景大纲: 选定方式应在房屋征收决定作出后公布
    # 「房屋征收部门应当在房屋征收决定作出后,将房地产价格评估机构选定方式等相关事项……予以公布」：
    # 早于决定之日公布的列 appraiser_announced_before_decision（violation）；决定当日公布不早于决定
    假如 征收决定于 2023-03-10 作出的征收项目
    而且 被征收人共 10 人，其中 6 人签字认可所选评估机构
    而且 程序时间 "appraiser_selection_announced" 为 <公布日期>
    而且 程序时间 "appraiser_selected" 为 2023-03-12
    当 按征收程序检查
    那么 有 <条数> 条 "appraiser_announced_before_decision" 提示

    例子:
      | 公布日期       | 条数 | 手算                   |
      | 2023-03-01 | 1  | 03-01 早于决定日 03-10 |
      | 2023-03-09 | 1  | 前一日仍早于决定         |
      | 2023-03-10 | 0  | 决定当日公布，不早于决定     |

  场景大纲: 缺少计算协商期限的日期的，提示无法核对
    假如 征收决定于 2023-03-01 作出的征收项目
    而且 被征收人共 100 人，其中 60 人签字认可所选评估机构
    而且 程序时间 "<已填>" 为 2023-03-10
    当 按征收程序检查
    那么 有一条 "appraiser_dates_missing" 提示，级别为 "warning"，依据包含 "第四十五条"
    而且 没有 "appraiser_negotiated" 提示
    而且 没有 "appraiser_negotiation_late" 提示

    例子:
      | 已填                            | 手算                      |
      | appraiser_selected            | 未填选定方式公布之日，10 日无从起算     |
      | appraiser_selection_announced | 60 人签字认可，但未填协商选定之日       |
