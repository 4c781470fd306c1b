# language: zh-CN
@engine
功能: 第十七条 作出征收决定前的社会稳定风险评估
  临兰政发〔2022〕1号《临沂市兰山区国有土地上房屋征收与补偿办法》第十七条原文：
  「区维稳部门是社会维稳风险评估的综合协调、督导部门。区人民政府作出房屋征收决定前，征收部门或受委托的社会维稳风险评估主体应当在维稳部门指导下，对房屋征收的合法性、合理性、可行性、可控性以及征收补偿费用保障、风险化解措施、应急处置预案等事项进行评估论证，形成社会维稳风险评估报告并报维稳部门备案。社会维稳风险评估报告应当作为是否作出房屋征收决定的重要依据。」
  日期只记到日，同一日可以先备案、后作出决定（解释 I-28）：备案之日不晚于作出征收决定之日的列
  risk_assessment_before_decision（info），晚于决定之日的列 risk_assessment_late（violation）；
  未填备案之日的无法核对，列 risk_assessment_date_missing（warning）。报告本身是否报送由第十二条的材料核对。
  在进程内由引擎计算。

  场景大纲: 风险评估报告备案之日与征收决定之日
    假如 征收决定于 2023-05-10 作出的征收项目
    而且 程序时间 "risk_assessment_filed" 为 <备案日期>
    当 按征收程序检查
    那么 有一条 "<提示>" 提示，级别为 "<级别>"，依据包含 "第十七条"

    例子:
      | 备案日期       | 提示                               | 级别        | 手算                  |
      | 2023-04-20 | risk_assessment_before_decision | info      | 决定前 20 日备案            |
      | 2023-05-09 | risk_assessment_before_decision | info      | 决定前一日备案              |
      | 2023-05-10 | risk_assessment_before_decision | info      | 与决定同日：先备案、后决定（解释 I-28）  |
      | 2023-05-12 | risk_assessment_late            | violation | 决定后才备案               |

  场景: 未填备案之日的，提示无法核对，不说“逾期”
    假如 征收决定于 2023-05-10 作出的征收项目
    当 按征收程序检查
    那么 有一条 "risk_assessment_date_missing" 提示，级别为 "warning"，依据包含 "第十七条"
    而且 没有 "risk_assessment_late" 提示
    而且 没有 "risk_assessment_before_decision" 提示

  场景: 决定后才备案的，提示写明两个日期并引用解释 I-28
    假如 征收决定于 2023-05-10 作出的征收项目
    而且 程序时间 "risk_assessment_filed" 为 2023-05-12
    当 按征收程序检查
    那么 "risk_assessment_late" 提示写明 "于 2023-05-12 才报维稳部门备案，晚于征收决定（2023-05-10）"
    而且 采用了解释 "I-28"
