# language: zh-CN
@engine
功能: 第四十八条 分户初步评估结果公示期限
  临兰政发〔2022〕1号《临沂市兰山区国有土地上房屋征收与补偿办法》第四十八条第二款原文：
  「房屋征收部门应当将分户初步评估结果在房屋征收范围内向被征收人公示。公示期限不得少于 5 日。」
  公示开始之日不计入，“不少于 5 日”的最早结束日 = 开始日 + 5 日；该日为法定休假日的，依第二百零三条顺延至其后第一个工作日（解释 I-18）。
  结束日早于该日的列 preliminary_publicity_too_short（violation），否则列 preliminary_publicity_sufficient（info）；
  只填了开始或结束之日的，列 preliminary_publicity_dates_missing（warning），不作结论；都未填的（尚未公示）不作提示。
  在进程内由引擎计算。

  场景大纲: 公示期不少于 5 日
    假如 征收决定于 2023-01-10 作出的征收项目
    而且 程序时间 "preliminary_results_published" 为 <公示开始>
    而且 程序时间 "preliminary_results_end" 为 <公示结束>
    当 按征收程序检查
    那么 有一条 "<提示>" 提示，级别为 "<级别>"，依据包含 "第四十八条"

    例子:
      | 公示开始       | 公示结束       | 提示                                | 级别        | 手算                                              |
      | 2023-03-01 | 2023-03-06 | preliminary_publicity_sufficient | info      | 03-02 至 03-06，恰好 5 日                             |
      | 2023-03-01 | 2023-03-05 | preliminary_publicity_too_short  | violation | 只有 4 日                                          |
      | 2024-02-05 | 2024-02-10 | preliminary_publicity_too_short  | violation | 02-05 + 5 日 = 02-10，在春节假期（02-10 至 02-17），顺延至 02-18（调休上班的周日）；02-10 结束不足 |
      | 2024-02-05 | 2024-02-18 | preliminary_publicity_sufficient | info      | 公示到顺延后的最后一日 02-18                           |
      | 2024-02-05 | 2024-02-09 | preliminary_publicity_too_short  | violation | 只有 4 日                                          |

  场景: 公示不足 5 日的，写明最早可结束之日
    假如 征收决定于 2023-01-10 作出的征收项目
    而且 程序时间 "preliminary_results_published" 为 2023-03-01
    而且 程序时间 "preliminary_results_end" 为 2023-03-05
    当 按征收程序检查
    那么 "preliminary_publicity_too_short" 提示写明 "2023-03-06"

  场景大纲: 公示起止日期未填全的，提示无法核对
    假如 征收决定于 2023-01-10 作出的征收项目
    而且 程序时间 "<已填>" 为 2023-03-06
    当 按征收程序检查
    那么 有一条 "preliminary_publicity_dates_missing" 提示，级别为 "warning"，依据包含 "第四十八条"
    而且 没有 "preliminary_publicity_sufficient" 提示

    例子:
      | 已填                            | 手算        |
      | preliminary_results_published | 只填了开始之日   |
      | preliminary_results_end       | 只填了结束之日   |

  场景: 尚未公示的，不作提示
    假如 征收决定于 2023-01-10 作出的征收项目
    当 按征收程序检查
    那么 没有 "preliminary_publicity_dates_missing" 提示
    而且 没有 "preliminary_publicity_sufficient" 提示
