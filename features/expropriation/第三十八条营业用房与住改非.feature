# language: zh-CN
@api
功能: 第三十八条 营业用房、“住改非”房屋与擅自改变用途
  临兰政发〔2022〕1号《临沂市兰山区国有土地上房屋征收与补偿办法》第三十八条原文（标点照公报；条件（2）在“社会统一信”之后分页，此处连排）：
  「擅自改变房屋用途，从事生产经营活动的，不支付停产停业损失补偿费。」
  「营业用房和“住改非”房屋的补偿」
  「(1) 有工商登记、税务登记（三证合一按照社会统一信用登记）并有正常纳税记录；」
  「(2) 房屋所有权证、工商登记和税务登记（或社会统一信用代码证)注明的营业地点、时间一致;」
  「(3)持有的房屋所有权证用途栏内标明“营业”字样。」
  「被征收房屋同时具备以上三个条件的,其房屋按照营业用房进行评估,给予货币补偿。不同时具备以上3个条件的,不能认定为营业用房。」
  「房屋所有权证用途栏为“住宅”,具备前两个条件且持续经营1年以上的(租赁经营的缴纳相关税费1年以上),可认定“住改非”房屋。」
  「沿城市规划道路两侧的“住改非”房屋在住宅房屋评估价格的基础上增加40%的补偿款;其它“住改非”房屋在住宅房屋评估价格的基础上增加30%的补偿款。」
  “住改非”：证载住宅、实际非住宅，条件（1）（2）齐备且持续经营「1年以上」（含 1 年）。
  加价 change_of_use_uplift = 住宅房屋价值（第二十六条 90% 底价之后）× 40%（沿规划道路）或 30%，
  且不再支付停产停业损失补偿费（解释 I-2）；按证载用途仍属住宅，搬迁费、临时安置费按住宅计（解释 I-12）。
  证载住宅而实际经营、不具备“住改非”条件的，属擅自改变用途：不加价，也不支付停产停业损失补偿费。
  经真实的 HTTP 服务计算。

  场景大纲: “住改非”房屋按住宅价值加价，不另付停产停业损失
    假如 征收决定于 2023-05-10 作出的一户被征收房屋
    而且 房屋实际用途为 "non_residential"，房屋所有权证用途为 "residential"
    而且 建筑面积 "<面积>" 平方米
    而且 评估单价 "<评估单价>" 元/平方米，市场单价 "9000" 元/平方米
    而且 事实 "property.along_planned_road" 为 "<沿规划道路>"
    而且 事实 "property.business.registered" 为 "true"
    而且 事实 "property.business.tax_record" 为 "true"
    而且 事实 "property.business.consistent" 为 "true"
    而且 事实 "property.business.operating_years" 为 "<经营年数>"
    而且 事实 "property.business.operating" 为 "true"
    而且 事实 "property.business.avg_annual_profit" 为 "120000"
    当 按征收补偿办法计算
    那么 状态为 "evaluated"
    而且 补偿单价为 "<单价>"
    而且 补偿项 "house_value" 的金额为 "<房屋价值>"
    而且 补偿项 "change_of_use_uplift" 的金额为 "<加价>"
    而且 补偿项 "change_of_use_uplift" 的依据包含 "第三十八条"
    而且 没有补偿项 "business_loss"
    而且 补偿合计为 "<合计>"
    而且 采用了解释 "I-2"
    而且 采用了解释 "I-12"

    例子:
      | 面积    | 评估单价    | 沿规划道路 | 经营年数 | 单价      | 房屋价值      | 加价        | 合计        | 手算                                                                                           |
      | 60.00 | 8000    | true  | 1    | 8100.00 | 486000.00 | 194400.00 | 686900.00 | 住宅单价 max(8000, 8100) = 8100；60 × 8100 = 486000；沿路 +40% = 194400；+ 搬迁 2000 + 临时安置 4500 = 686900.00 |
      | 60.00 | 8000    | false | 1    | 8100.00 | 486000.00 | 145800.00 | 638300.00 | 其它 +30% = 145800；486000 + 145800 + 2000 + 4500 = 638300.00                                  |
      | 60.00 | 8000    | false | 3.5  | 8100.00 | 486000.00 | 145800.00 | 638300.00 | 经营 3.5 年同样认定；+30% = 145800.00                                                              |
      | 50.05 | 8333.33 | true  | 2    | 8333.33 | 417083.17 | 166833.27 | 590416.44 | 50.05 × 8333.33 = 417083.1665 → 417083.17；× 40% = 166833.268 → 166833.27；+ 2000 + 4500 = 590416.44 |
      | 50.05 | 8333.33 | false | 2    | 8333.33 | 417083.17 | 125124.95 | 548708.12 | 417083.17 × 30% = 125124.951 → 125124.95；417083.17 + 125124.95 + 6500 = 548708.12               |

  场景大纲: 按 45 平方米最低面积补偿的“住改非”房屋，增加的补偿款仍以合法面积的住宅价值为基数
    # 「在住宅房屋评估价格的基础上增加30%」：第二十九条第二款的 45 m² 是保障，不是评估价格（解释 I-21），
    # 所以货币补偿与产权调换增加的补偿款相同
    假如 征收决定于 2023-05-10 作出的一户被征收房屋
    而且 房屋实际用途为 "non_residential"，房屋所有权证用途为 "residential"
    而且 建筑面积 "40.00" 平方米
    而且 评估单价 "8000" 元/平方米，市场单价 "9000" 元/平方米
    而且 事实 "owner.only_home" 为 "true"
    而且 事实 "property.business.registered" 为 "true"
    而且 事实 "property.business.tax_record" 为 "true"
    而且 事实 "property.business.consistent" 为 "true"
    而且 事实 "property.business.operating_years" 为 "2"
    而且 事实 "property.business.operating" 为 "true"
    而且 事实 "choice.mode" 为 "<补偿方式>"
    而且 事实 "choice.swap_building" 为 "<安置住宅>"
    当 按征收补偿办法计算
    那么 状态为 "evaluated"
    而且 补偿项 "change_of_use_uplift" 的金额为 "97200.00"
    而且 采用了解释 "I-21"

    例子:
      | 补偿方式          | 安置住宅         | 手算                                                               |
      | monetary      | null         | 货币补偿按 45 m² 补偿房屋价值，但加价基数为合法面积 40 × 8100 = 324000；× 30% = 97200.00 |
      | property_swap | multi_storey | 产权调换：同一基数 324000 × 30% = 97200.00                                |

  场景大纲: 不具备“住改非”条件而实际经营的，属擅自改变用途，不加价也不付停产停业损失
    假如 征收决定于 2023-05-10 作出的一户被征收房屋
    而且 房屋实际用途为 "non_residential"，房屋所有权证用途为 "residential"
    而且 建筑面积 "60.00" 平方米
    而且 评估单价 "8000" 元/平方米，市场单价 "9000" 元/平方米
    而且 事实 "property.along_planned_road" 为 "true"
    而且 事实 "property.business.registered" 为 "<工商税务登记>"
    而且 事实 "property.business.tax_record" 为 "<纳税记录>"
    而且 事实 "property.business.consistent" 为 "<地点时间一致>"
    而且 事实 "property.business.operating_years" 为 "<经营年数>"
    而且 事实 "property.business.operating" 为 "true"
    而且 事实 "property.business.avg_annual_profit" 为 "120000"
    当 按征收补偿办法计算
    那么 状态为 "evaluated"
    而且 补偿项 "house_value" 的金额为 "486000.00"
    而且 没有补偿项 "change_of_use_uplift"
    而且 没有补偿项 "business_loss"
    而且 有一条 "unauthorised_change_of_use" 提示写明 "属擅自改变房屋用途，不支付停产停业损失补偿费"
    而且 采用了解释 "I-12"
    # 不具备“住改非”条件即视为擅自改变用途，是解读（I-32）
    而且 采用了解释 "I-32"

    例子:
      | 工商税务登记 | 纳税记录  | 地点时间一致 | 经营年数 | 手算                                |
      | true   | true  | true   | 0.99 | 不足「1年以上」→ 非“住改非”；60 × 8100 = 486000.00 |
      | false  | true  | true   | 5    | 缺条件（1）工商、税务登记                    |
      | true   | false | true   | 5    | 缺条件（1）正常纳税记录                      |
      | true   | true  | false  | 5    | 缺条件（2）地点、时间一致                     |

  场景: 同时具备三个条件的，按营业用房评估并给予货币补偿
    假如 征收决定于 2023-05-10 作出的一户被征收房屋
    而且 房屋实际用途为 "non_residential"，房屋所有权证用途为 "business"
    而且 建筑面积 "100.00" 平方米
    而且 评估单价 "6000" 元/平方米，市场单价 "6500" 元/平方米
    而且 事实 "property.business.registered" 为 "true"
    而且 事实 "property.business.tax_record" 为 "true"
    而且 事实 "property.business.consistent" 为 "true"
    而且 事实 "property.business.operating_years" 为 "4"
    而且 事实 "property.business.operating" 为 "true"
    而且 事实 "property.business.avg_annual_profit" 为 "120000"
    当 按征收补偿办法计算
    那么 状态为 "evaluated"
    而且 有一条 "business_premises" 提示
    # 营业用房：100 × max(6000, 6500) = 650000.00；搬迁 10 × 100 = 1000.00；停产停业 120000 × 3 / 12 = 30000.00
    而且 补偿项 "house_value" 的金额为 "650000.00"
    而且 补偿项 "moving" 的金额为 "1000.00"
    而且 补偿项 "business_loss" 的金额为 "30000.00"
    而且 没有补偿项 "change_of_use_uplift"
    # 650000 + 1000 + 30000 = 681000.00
    而且 补偿合计为 "681000.00"

  场景: 营业用房选择产权调换的，提示应给予货币补偿
    假如 征收决定于 2023-05-10 作出的一户被征收房屋
    而且 房屋实际用途为 "non_residential"，房屋所有权证用途为 "business"
    而且 建筑面积 "100.00" 平方米
    而且 评估单价 "6000" 元/平方米，市场单价 "6500" 元/平方米
    而且 事实 "property.business.registered" 为 "true"
    而且 事实 "property.business.tax_record" 为 "true"
    而且 事实 "property.business.consistent" 为 "true"
    而且 选择产权调换，安置住宅为 "multi_storey"
    当 按征收补偿办法计算
    那么 状态为 "evaluated"
    而且 有一条级别为 "violation" 的提示，依据包含 "第三十八条"

  场景大纲: 不同时具备三个条件的，不能认定为营业用房
    假如 征收决定于 2023-05-10 作出的一户被征收房屋
    而且 房屋实际用途为 "non_residential"，房屋所有权证用途为 "<证载用途>"
    而且 建筑面积 "100.00" 平方米
    而且 评估单价 "6000" 元/平方米，市场单价 "6500" 元/平方米
    而且 事实 "property.business.registered" 为 "<工商税务登记>"
    而且 事实 "property.business.tax_record" 为 "true"
    而且 事实 "property.business.consistent" 为 "<地点时间一致>"
    而且 选择产权调换，安置住宅为 "multi_storey"
    当 按征收补偿办法计算
    那么 状态为 "evaluated"
    而且 没有 "business_premises" 提示
    # 不是营业用房，不适用「给予货币补偿」：选择产权调换不列违规（同条件齐备时的上一场景相反）
    而且 没有 "business_premises_monetary_only" 提示
    # 证载营业而条件不全的，写明「不同时具备以上3个条件的,不能认定为营业用房」（audit 18：之前什么也不说）
    而且 有 <条数> 条 "business_premises_not_recognised" 提示

    例子:
      | 证载用途     | 工商税务登记 | 地点时间一致 | 条数 | 手算                    |
      | business | true   | false  | 1  | 缺条件（2）→ 不能认定为营业用房     |
      | business | false  | true   | 1  | 缺条件（1）→ 不能认定为营业用房     |
      | other    | true   | true   | 0  | 用途栏未标明“营业”，缺条件（3）→ 不能认定；证载不是营业，无须说明 |
