# language: zh-CN
@engine
功能: 第十三条 暂停办理相关手续的期限
  临兰政发〔2022〕1号《临沂市兰山区国有土地上房屋征收与补偿办法》第十三条第二款原文：
  「房屋征收部门应当将前款所列事项书面通知有关部门暂停办理相关手续，暂停办理期限最长不超过1年。」
  1 年按《民法典》第二百零一条、第二百零二条计算：通知之日不计入，到期月的对应日为最后一日，
  没有对应日的，月末日为最后一日；“最长不超过”含本数，恰好 1 年不超过。暂停办理结束之日晚于该日的，
  列 suspension_too_long（violation），否则列 suspension_within_limit（info）；填了结束之日、未填开始之日的，
  列 suspension_dates_missing（warning），不作结论；只填了开始之日的，列 suspension_end_missing（warning），
  写明最迟的结束之日。
  最后一日为法定休假日的，依第二百零三条顺延至其后第一个工作日（PRODUCT §3 对所有期间适用，解释 I-18）。在进程内由引擎计算。

  场景大纲: 暂停办理的期限
    假如 征收决定于 2023-06-01 作出的征收项目
    而且 程序时间 "suspension_from" 为 <开始>
    而且 程序时间 "suspension_to" 为 <结束>
    当 按征收程序检查
    那么 有一条 "<提示>" 提示，级别为 "<级别>"，依据包含 "第十三条"

    例子:
      | 开始         | 结束         | 提示                      | 级别        | 手算                                                |
      | 2023-03-15 | 2023-09-15 | suspension_within_limit | info      | 半年，未满 1 年                                          |
      | 2023-03-15 | 2024-03-15 | suspension_within_limit | info      | 1 年的对应日为 2024-03-15，恰好 1 年，「最长不超过1年」含本数            |
      | 2023-03-15 | 2024-03-16 | suspension_too_long     | violation | 晚于 2024-03-15 一日                                   |
      | 2024-02-29 | 2025-02-28 | suspension_within_limit | info      | 2025 年无 2 月 29 日，月末日 2025-02-28 为最后一日                |
      | 2024-02-29 | 2025-03-01 | suspension_too_long     | violation | 晚于 2025-02-28 一日                                   |
      | 2022-10-01 | 2023-10-02 | suspension_within_limit | info      | 对应日 2023-10-01 在国庆节假期（09-29 至 10-06），顺延至 10-07（调休上班的周六）；10-02 未超过 |
      | 2022-10-01 | 2023-10-08 | suspension_too_long     | violation | 晚于顺延后的最后一日 10-07                                    |

  场景: 只填了暂停办理结束之日的，提示无法核对，不作结论
    假如 征收决定于 2023-06-01 作出的征收项目
    而且 程序时间 "suspension_to" 为 2023-05-20
    当 按征收程序检查
    那么 有一条 "suspension_dates_missing" 提示，级别为 "warning"，依据包含 "第十三条"
    而且 "suspension_dates_missing" 提示写明 "2023-05-20"
    而且 没有 "suspension_within_limit" 提示
    而且 没有 "suspension_too_long" 提示

  场景: 只填了暂停办理开始之日的，提示写明最长 1 年的最后一日
    假如 征收决定于 2023-06-01 作出的征收项目
    而且 程序时间 "suspension_from" 为 2023-03-15
    当 按征收程序检查
    # 1 年的对应日为 2024-03-15（周五，工作日）
    那么 有一条 "suspension_end_missing" 提示，级别为 "warning"，依据包含 "第十三条"
    而且 "suspension_end_missing" 提示写明 "2024-03-15"
    而且 没有 "suspension_within_limit" 提示
    而且 没有 "suspension_too_long" 提示
