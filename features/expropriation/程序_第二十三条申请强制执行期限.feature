# language: zh-CN
@api
功能: 第二十三条 申请人民法院强制执行的期限
  临兰政发〔2022〕1号《临沂市兰山区国有土地上房屋征收与补偿办法》第二十三条原文：
  「被征收人在法定期限内不申请行政复议或者不提起行政诉讼，在补偿决定规定的期限内又不搬迁的，区人民政府应当催告当事人履行搬迁义务。催告书送达 10 日后当事人仍未履行搬迁义务的，可以自被征收人的法定起诉期限届满之日起 3 个月内，依法向被征收房屋所在地人民法院申请强制执行。」
  申请之日须同时：晚于催告书送达之日 + 10 日（“10 日后”，第 10 日当日不算；第 10 日为法定休假日的顺延至其后第一个工作日，解释 I-19）；晚于法定起诉期限届满之日；
  且不晚于自起诉期限届满之日起 3 个月的最后一日（《民法典》第二百零二条对应日、没有对应日的取月末日，
  第二百零三条遇法定休假日顺延）。早于窗口的列 court_application_premature（violation），晚于窗口的列
  court_application_late（violation），在窗口内的列 court_application_in_window（info）；尚未申请的，
  列 court_application_window（info）写明窗口；已申请、但催告书送达之日或法定起诉期限届满之日未填的，
  另列 court_application_dates_missing（warning）。日历未覆盖的年份请求被拒绝并写明年份。经真实的 HTTP 服务计算。

  场景大纲: 催告书 2023-06-05 送达、起诉期限 2023-06-10 届满
    假如 征收决定于 2023-03-01 作出的征收项目
    而且 程序时间 "notice_served" 为 2023-06-05
    而且 程序时间 "litigation_period_end" 为 2023-06-10
    而且 程序时间 "court_application" 为 <申请日期>
    当 按征收程序检查
    那么 有一条 "<提示>" 提示，级别为 "<级别>"，依据包含 "第二十三条"

    例子:
      | 申请日期       | 提示                           | 级别        | 手算                                                       |
      | 2023-06-15 | court_application_premature | violation | 06-05 + 10 日 = 06-15，第 10 日当日还不是「10 日后」                   |
      | 2023-06-16 | court_application_in_window | info      | 晚于 06-15、晚于 06-10                                         |
      | 2023-09-11 | court_application_in_window | info      | 06-10 起 3 个月对应日 09-10 为周日，顺延至 09-11（周一），最后一日申请           |
      | 2023-09-12 | court_application_late      | violation | 晚于 09-11                                                  |

  场景大纲: 催告书 2023-05-01 送达、起诉期限 2023-06-20 届满
    假如 征收决定于 2023-03-01 作出的征收项目
    而且 程序时间 "notice_served" 为 2023-05-01
    而且 程序时间 "litigation_period_end" 为 2023-06-20
    而且 程序时间 "court_application" 为 <申请日期>
    当 按征收程序检查
    那么 有一条 "<提示>" 提示，级别为 "<级别>"，依据包含 "第二十三条"

    例子:
      | 申请日期       | 提示                           | 级别        | 手算                                            |
      | 2023-05-12 | court_application_premature | violation | 已过催告 10 日（05-11），但起诉期限尚未届满                         |
      | 2023-06-20 | court_application_premature | violation | 起诉期限届满当日，尚未「届满」之后                                 |
      | 2023-06-21 | court_application_in_window | info      | 两个条件都已满足                                         |
      | 2023-09-20 | court_application_in_window | info      | 3 个月对应日 09-20（周三，工作日）                             |
      | 2023-09-21 | court_application_late      | violation | 晚于 09-20                                         |

  场景大纲: 起诉期限 2023-06-20 届满后，催告书 2023-07-01 才送达（条文的顺序：期限内不起诉、又不搬迁的，才催告）
    假如 征收决定于 2023-03-01 作出的征收项目
    而且 程序时间 "notice_served" 为 2023-07-01
    而且 程序时间 "litigation_period_end" 为 2023-06-20
    而且 程序时间 "court_application" 为 <申请日期>
    当 按征收程序检查
    那么 有一条 "<提示>" 提示，级别为 "<级别>"，依据包含 "第二十三条"

    例子:
      | 申请日期       | 提示                           | 级别        | 手算                                              |
      | 2023-07-11 | court_application_premature | violation | 07-01 + 10 日 = 07-11，第 10 日当日还不是「10 日后」          |
      | 2023-07-12 | court_application_in_window | info      | 晚于 07-11，也晚于起诉期限届满之日 06-20                        |
      | 2023-09-20 | court_application_in_window | info      | 06-20 起 3 个月对应日 09-20（周三，工作日）为最后一日              |
      | 2023-09-21 | court_application_late      | violation | 晚于 09-20                                          |

  场景大纲: 起诉期限于月末届满，3 个月后没有对应日的取月末日
    假如 征收决定于 2023-03-01 作出的征收项目
    而且 程序时间 "notice_served" 为 2023-11-01
    而且 程序时间 "litigation_period_end" 为 2023-11-30
    而且 程序时间 "court_application" 为 <申请日期>
    当 按征收程序检查
    那么 有一条 "<提示>" 提示，级别为 "<级别>"，依据包含 "第二十三条"

    例子:
      | 申请日期       | 提示                           | 级别        | 手算                                        |
      | 2024-02-29 | court_application_in_window | info      | 2024 年无 2 月 30 日，月末日 02-29（周四，工作日）为最后一日       |
      | 2024-03-01 | court_application_late      | violation | 晚于 02-29                                     |

  场景: 尚未申请的，写明可申请的期限
    假如 征收决定于 2023-03-01 作出的征收项目
    而且 程序时间 "notice_served" 为 2023-06-05
    而且 程序时间 "litigation_period_end" 为 2023-06-10
    当 按征收程序检查
    # 3 个月届满 2023-09-10（周日），顺延至 2023-09-11
    那么 有一条 "court_application_window" 提示，级别为 "info"，依据包含 "第二十三条"
    而且 "court_application_window" 提示写明 "2023-06-10"
    而且 "court_application_window" 提示写明 "顺延至 2023-09-11"
    而且 没有 "court_application_late" 提示
    而且 没有 "court_application_premature" 提示

  场景: 3 个月期限落入日历未覆盖的年份的，请求被拒绝并写明年份
    假如 征收决定于 2026-05-06 作出的征收项目
    而且 程序时间 "notice_served" 为 2026-10-20
    而且 程序时间 "litigation_period_end" 为 2026-11-20
    当 按征收程序检查
    # 2026-11-20 + 3 个月 = 2027-02-20：chinese_calendar 只收录到 2026 年，不能猜测是否为休假日
    那么 请求被拒绝，错误信息写明 "2027"

  场景大纲: 已申请强制执行、但缺少计算期间的日期的，提示无法完整核对
    假如 征收决定于 2023-03-01 作出的征收项目
    而且 程序时间 "court_application" 为 2023-08-01
    而且 程序时间 "<已填>" 为 <日期>
    当 按征收程序检查
    那么 有一条 "court_application_dates_missing" 提示，级别为 "warning"，依据包含 "第二十三条"
    而且 没有 "court_application_in_window" 提示

    例子:
      | 已填                    | 日期         | 手算                     |
      | notice_served         | 2023-06-05 | 未填起诉期限届满之日，无法核对窗口      |
      | litigation_period_end | 2023-06-10 | 未填催告书送达之日，无法核对送达 10 日后 |

  场景: 日期齐全的，不作缺少日期的提示
    假如 征收决定于 2023-03-01 作出的征收项目
    而且 程序时间 "notice_served" 为 2023-06-05
    而且 程序时间 "litigation_period_end" 为 2023-06-10
    而且 程序时间 "court_application" 为 2023-08-01
    当 按征收程序检查
    # 06-05 + 10 日 = 06-15；届满 06-10 起 3 个月至 09-10（周日）顺延 09-11；08-01 在窗口内
    那么 有一条 "court_application_in_window" 提示，级别为 "info"，依据包含 "第二十三条"
    而且 没有 "court_application_dates_missing" 提示
