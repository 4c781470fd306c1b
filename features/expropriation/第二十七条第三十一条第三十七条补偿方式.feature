# language: zh-CN
@engine
功能: 第二十七条、第三十一条、第三十七条 补偿方式的选择
  临兰政发〔2022〕1号《临沂市兰山区国有土地上房屋征收与补偿办法》第二十七条第一款原文：
  「被征收人可以选择货币补偿，也可以选择房屋产权调换。对不具备产权调换条件的非住宅房屋应当实行货币补偿，但本办法第三十一条规定的情形除外。」
  第三十一条原文：
  「被征收房屋属于公共租赁住房、公房管理部门直管住宅公房或者单位自管住宅公房的，在租赁关系存续期间，被征收人未与承租人达成解除租赁协议但符合房屋承租规定的，区人民政府应当对被征收人实行房屋产权调换。用于产权调换的房屋由原房屋承租人承租，被征收人与原房屋承租人重新签订房屋租赁合同。」
  第三十七条原文：
  「对于正常经营的加油站、加气站、充电站等具有公共服务功能的商业设施的征收，征收补偿的方式可以实行货币补偿，也可以实行产权调换，被征收人有权选择补偿方式。选择货币补偿的，由评估机构评估确定；选择产权调换的，必须具备产权调换条件，予以安置。」
  非住宅（正常经营的公共服务商业设施、营业用房除外）选择产权调换 → monetary_only 警示；
  住宅公房租赁关系存续而选择货币补偿 → swap_only 警示（warning：“未与承租人达成解除租赁协议但符合房屋承租规定”须核实，
  事实中没有这两项）；正常经营的公共服务商业设施 → free_choice 说明，不警示；未在正常经营的，不适用第三十七条
  （public_service_not_operating），按第二十七条、第三十八条确定。不予补偿的房屋不作补偿方式的提示。
  在进程内由引擎计算。

  场景: 非住宅选择产权调换的，提示应当实行货币补偿
    假如 征收决定于 2023-05-10 作出的一户被征收房屋
    而且 房屋实际用途为 "non_residential"，房屋所有权证用途为 "other"
    而且 建筑面积 "100.00" 平方米
    而且 评估单价 "6000" 元/平方米，无市场单价
    而且 选择产权调换，安置住宅为 "multi_storey"
    当 按征收补偿办法计算
    那么 状态为 "evaluated"
    而且 有一条 "monetary_only" 提示，级别为 "warning"，依据包含 "第二十七条"

  场景: 非住宅选择货币补偿的，不作提示
    假如 征收决定于 2023-05-10 作出的一户被征收房屋
    而且 房屋实际用途为 "non_residential"，房屋所有权证用途为 "other"
    而且 建筑面积 "100.00" 平方米
    而且 评估单价 "6000" 元/平方米，无市场单价
    当 按征收补偿办法计算
    那么 状态为 "evaluated"
    而且 没有 "monetary_only" 提示

  场景: 住宅选择产权调换的，不作货币补偿提示
    假如 征收决定于 2023-05-10 作出的一户被征收房屋
    而且 建筑面积 "60.00" 平方米
    而且 评估单价 "8000" 元/平方米，市场单价 "9000" 元/平方米
    而且 选择产权调换，安置住宅为 "multi_storey"
    当 按征收补偿办法计算
    那么 状态为 "evaluated"
    而且 没有 "monetary_only" 提示
    而且 没有 "swap_only" 提示

  场景: 公房租赁关系存续而选择货币补偿的，提示应当实行产权调换
    假如 征收决定于 2023-05-10 作出的一户被征收房屋
    而且 建筑面积 "60.00" 平方米
    而且 评估单价 "8000" 元/平方米，市场单价 "9000" 元/平方米
    而且 事实 "property.public_rental_tenancy" 为 "true"
    当 按征收补偿办法计算
    那么 状态为 "evaluated"
    而且 有一条 "swap_only" 提示，级别为 "warning"，依据包含 "第三十一条"
    而且 "swap_only" 提示写明 "请核实是否属于此情形"

  场景: 违法建筑不作补偿方式的提示
    假如 征收决定于 2023-05-10 作出的一户被征收房屋
    而且 建筑面积 "60.00" 平方米
    而且 评估单价 "8000" 元/平方米，市场单价 "9000" 元/平方米
    而且 事实 "property.public_rental_tenancy" 为 "true"
    而且 事实 "property.legal_status" 为 "illegal"
    当 按征收补偿办法计算
    # 「对认定为违法建筑的，不予补偿」：没有补偿，也就没有补偿方式可选
    那么 状态为 "not_compensable"
    而且 没有 "swap_only" 提示

  场景: 公房租赁关系存续而选择产权调换的，不作提示
    假如 征收决定于 2023-05-10 作出的一户被征收房屋
    而且 建筑面积 "60.00" 平方米
    而且 评估单价 "8000" 元/平方米，市场单价 "9000" 元/平方米
    而且 事实 "property.public_rental_tenancy" 为 "true"
    而且 选择产权调换，安置住宅为 "high_rise"
    当 按征收补偿办法计算
    那么 状态为 "evaluated"
    而且 没有 "swap_only" 提示

  场景大纲: 加油站等公共服务商业设施可自由选择补偿方式
    假如 征收决定于 2023-05-10 作出的一户被征收房屋
    而且 房屋实际用途为 "non_residential"，房屋所有权证用途为 "business"
    而且 建筑面积 "300.00" 平方米
    而且 评估单价 "7000" 元/平方米，无市场单价
    而且 事实 "property.public_service_facility" 为 "true"
    而且 事实 "property.business.operating" 为 "true"
    而且 事实 "choice.mode" 为 "<方式>"
    而且 事实 "choice.swap_building" 为 "<安置住宅>"
    当 按征收补偿办法计算
    那么 状态为 "evaluated"
    而且 有一条 "free_choice" 提示，级别为 "info"，依据包含 "第三十七条"
    而且 没有 "monetary_only" 提示

    例子:
      | 方式            | 安置住宅         | 手算                        |
      | property_swap | multi_storey | 「被征收人有权选择补偿方式」→ 不提示只能货币补偿 |
      | monetary      | null         | 选择货币补偿亦可                  |

  场景: 同时具备第三十八条营业用房条件的加油站，选择产权调换也不作违规提示
    # 第三十八条「同时具备以上三个条件的……给予货币补偿」与第三十七条「被征收人有权选择补偿方式」：
    # 第三十七条是对具有公共服务功能的商业设施的特别规定，从其规定（解释 I-22）
    假如 征收决定于 2023-05-10 作出的一户被征收房屋
    而且 房屋实际用途为 "non_residential"，房屋所有权证用途为 "business"
    而且 建筑面积 "300.00" 平方米
    而且 评估单价 "7000" 元/平方米，无市场单价
    而且 事实 "property.public_service_facility" 为 "true"
    而且 事实 "property.business.operating" 为 "true"
    而且 事实 "property.business.registered" 为 "true"
    而且 事实 "property.business.tax_record" 为 "true"
    而且 事实 "property.business.consistent" 为 "true"
    而且 事实 "choice.mode" 为 "property_swap"
    而且 事实 "choice.swap_building" 为 "multi_storey"
    当 按征收补偿办法计算
    那么 状态为 "evaluated"
    而且 有一条 "free_choice" 提示，级别为 "info"，依据包含 "第三十七条"
    而且 有一条 "business_premises" 提示
    而且 "business_premises" 提示写明 "依第三十七条由被征收人选择补偿方式"
    而且 没有 "business_premises_monetary_only" 提示
    而且 采用了解释 "I-22"

  场景: 未在正常经营的加油站，不适用第三十七条，营业用房选择产权调换作违规提示
    # 第三十七条只针对「正常经营的」公共服务商业设施
    假如 征收决定于 2023-05-10 作出的一户被征收房屋
    而且 房屋实际用途为 "non_residential"，房屋所有权证用途为 "business"
    而且 建筑面积 "300.00" 平方米
    而且 评估单价 "7000" 元/平方米，无市场单价
    而且 事实 "property.public_service_facility" 为 "true"
    而且 事实 "property.business.registered" 为 "true"
    而且 事实 "property.business.tax_record" 为 "true"
    而且 事实 "property.business.consistent" 为 "true"
    而且 事实 "choice.mode" 为 "property_swap"
    而且 事实 "choice.swap_building" 为 "multi_storey"
    当 按征收补偿办法计算
    那么 有一条 "public_service_not_operating" 提示，级别为 "info"，依据包含 "第三十七条"
    而且 没有 "free_choice" 提示
    而且 有一条 "business_premises_monetary_only" 提示，级别为 "violation"，依据包含 "第三十八条"
    而且 "business_premises_monetary_only" 提示写明 "本户选择了产权调换"
    # 营业用房的违规提示已说明，不再重复第二十七条的警示
    而且 没有 "monetary_only" 提示
