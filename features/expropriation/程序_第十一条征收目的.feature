# language: zh-CN
@engine
功能: 第十一条 征收目的与“自我提升改造”禁止
  临兰政发〔2022〕1号《临沂市兰山区国有土地上房屋征收与补偿办法》第十一条原文：
  「为保障国家安全、促进国民经济和社会发展等公共利益的需要，有下列情形之一，确需征收房屋的，由区人民政府对国有土地上房屋依法进行征收：」
  「（一）国防和外交的需要；」
  「（二）由政府组织实施的能源、交通、水利等基础设施建设的需要；」
  「（三）由政府组织实施的科技、教育、文化、卫生、体育、环境和资源保护、防灾减灾、文物保护、社会福利、市政公用等公共事业的需要；」
  「（四）由政府组织实施的保障性和安居工程建设的需要；」
  「（五）由政府依照城乡规划法有关规定组织实施的对危房集中、基础设施落后等地段进行旧城区改建的需要；」
  「（六）法律、法规规定的其他公共利益的需要。」
  「非因前款所列情形，没有法律法规依据，不得以“自我提升改造”等方式对国有土地上房屋进行征收。」
  六种情形之一为 purpose_lawful（info）；第（六）项须写明法律、法规依据（legal_basis），未写明的无法核对，
  列 statutory_basis_missing（warning）。第二款只禁止“非因前款所列情形，没有法律法规依据”的征收：
  没有依据的自我提升改造为 self_improvement_forbidden（violation），其他目的为 purpose_without_legal_basis（violation）；
  两者写明了依据的，列 purpose_basis_to_verify（warning），请核实该依据是否为法律、法规。在进程内由引擎计算。

  场景大纲: 第一款所列六种情形为合法的征收目的
    假如 征收决定于 2023-05-10 作出的征收项目
    而且 征收目的为 "<目的>"
    而且 事实 "legal_basis" 为 "<依据>"
    当 按征收程序检查
    那么 状态为 "evaluated"
    而且 有一条 "purpose_lawful" 提示，级别为 "info"，依据包含 "第十一条"
    而且 没有 "self_improvement_forbidden" 提示
    而且 没有 "purpose_without_legal_basis" 提示

    例子:
      | 目的                               | 依据              | 手算                 |
      | national_defense_foreign_affairs | null            | 第（一）项 国防和外交        |
      | infrastructure                   | null            | 第（二）项 基础设施建设       |
      | public_undertakings              | null            | 第（三）项 公共事业         |
      | affordable_housing               | null            | 第（四）项 保障性安居工程      |
      | old_city_renovation              | null            | 第（五）项 旧城区改建        |
      | other_statutory                  | 《中华人民共和国国防法》 | 第（六）项，写明了法律依据      |

  场景: 以“自我提升改造”方式征收的，违反第十一条第二款
    假如 征收决定于 2023-05-10 作出的征收项目
    而且 征收目的为 "self_improvement"
    当 按征收程序检查
    那么 有一条 "self_improvement_forbidden" 提示，级别为 "violation"，依据包含 "第十一条"
    而且 没有 "purpose_lawful" 提示

  场景: 非第一款所列情形、没有法律法规依据的，不得征收
    假如 征收决定于 2023-05-10 作出的征收项目
    而且 征收目的为 "other"
    当 按征收程序检查
    那么 有一条 "purpose_without_legal_basis" 提示，级别为 "violation"，依据包含 "第十一条"
    而且 没有 "purpose_lawful" 提示

  场景: 以“其他公共利益”为由但未写明法律、法规依据的，无法核对，提示写明
    假如 征收决定于 2023-05-10 作出的征收项目
    而且 征收目的为 "other_statutory"
    当 按征收程序检查
    # 第（六）项只认「法律、法规规定的」其他公共利益：没有 legal_basis 无从核对；目的仍属第一款所列，不说“不属于”
    那么 有一条 "statutory_basis_missing" 提示，级别为 "warning"，依据包含 "第十一条"
    而且 没有 "purpose_lawful" 提示
    而且 没有 "purpose_without_legal_basis" 提示

  场景: 以“其他公共利益”为由、法律依据为空白的，视同未写明依据
    假如 征收决定于 2023-05-10 作出的征收项目
    而且 征收目的为 "other_statutory"
    而且 法律、法规依据为空白
    当 按征收程序检查
    # 空白的 legal_basis 没有指明任何法律、法规，与未填写相同
    那么 有一条 "statutory_basis_missing" 提示，级别为 "warning"，依据包含 "第十一条"
    而且 没有 "purpose_lawful" 提示

  场景大纲: 非第一款所列情形但写明了依据的，不作违规结论，提示核实依据
    假如 征收决定于 2023-05-10 作出的征收项目
    而且 征收目的为 "<目的>"
    而且 事实 "legal_basis" 为 "《国有土地上房屋征收与补偿条例》"
    当 按征收程序检查
    # 「非因前款所列情形，没有法律法规依据，不得……」：写明了依据的，禁止的条件不全，须核实依据本身
    那么 有一条 "purpose_basis_to_verify" 提示，级别为 "warning"，依据包含 "第十一条"
    而且 "purpose_basis_to_verify" 提示写明 "所填依据为“《国有土地上房屋征收与补偿条例》”"
    而且 没有 "self_improvement_forbidden" 提示
    而且 没有 "purpose_without_legal_basis" 提示

    例子:
      | 目的               | 手算              |
      | self_improvement | 自我提升改造，写明了依据    |
      | other            | 其他目的，写明了依据      |
