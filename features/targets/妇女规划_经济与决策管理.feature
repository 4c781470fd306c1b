# language: zh-CN
@engine
功能: “十四五”妇女发展规划：妇女与经济、妇女参与决策和管理的数值目标
  临兰政发〔2022〕2号《兰山区“十四五”妇女发展规划》主要目标，原文：
  妇女规划三（三）（2）「消除就业性别歧视。促进女大学生充分就业。就业人员中的女性比例保持在45%左右。（牵头单位：区人社局、区委组织部，……）」
  妇女规划三（三）（3）「优化妇女就业结构。城镇单位从业人员中的女性比例达到40%左右。（牵头单位：区人社局，……）」
  妇女规划三（三）（5）「促进女性人才发展。倡导实现高级专业技术人员中的女性比例达到40%。……（牵头单位：区人社局、区妇联，……）」
  妇女规划三（四）（4）「区级党委、政府领导班子至少各配备1名女干部。（牵头单位：区委组织部）」
  妇女规划三（四）（5）「担任镇街党政正职的女干部要有一定数量。镇街党政正职中至少配备1名女干部。（牵头单位：区委组织部）」
  妇女规划三（四）（6）「区党政工作部门，应保证一半以上的领导班子配备女干部，其中担任正职的一般不少于3人。（牵头单位：区委组织部）」
  妇女规划三（四）（9）「……村委会成员中女性比例保持在30%以上，村委会主任中女性比例逐步提高。（牵头单位：区委组织部，……）」
  妇女规划三（四）（10）「……社区居委会成员中女性比例保持在50%左右，社区居委会主任中女性比例达到35%左右。（牵头单位：区委组织部，……）」
  “左右”允许 2 个百分点（T-2）：“保持在 X%左右”上下各 2 个百分点，“达到 X%左右”不低于 X − 2 即达到，高于 X 也是达到；
  “倡导实现”的目标未达到的，报告未达标，级别为 warning，不作违规结论（T-11）；
  “至少、应保证、一般不少于、保持在”每个监测年度都须达到（T-3）；
  “一半以上”含一半，“一般不少于3人”不足 3 人报告未达标（T-6）。

  场景大纲: 每个监测年度都须达到的目标，当年即判定
    假如 “十四五”规划 <年度> 年度的监测数据
    而且 指标 "<指标>" 的监测值为 "<监测值>"
    当 按目标监测判定
    那么 指标 "<指标>" 的判定为 "<判定>"
    而且 指标 "<指标>" 的牵头单位为 "<牵头单位>"
    而且 指标 "<指标>" 的依据为 "<条目>"

    例子:
      | 年度 | 指标                               | 监测值 | 判定    | 牵头单位          | 条目                  | 手算                                    |
      | 2021 | w_employed_female_share            | 43     | met     | 区人社局、区委组织部 | 妇女规划三（三）（2）  | 45 − 2 = 43 ≤ 43 ≤ 47（左右含边界）        |
      | 2023 | w_employed_female_share            | 47     | met     | 区人社局、区委组织部 | 妇女规划三（三）（2）  | 47 ≤ 45 + 2 = 47                        |
      | 2023 | w_employed_female_share            | 42.9   | not_met | 区人社局、区委组织部 | 妇女规划三（三）（2）  | 42.9 < 43                               |
      | 2024 | w_employed_female_share            | 47.1   | not_met | 区人社局、区委组织部 | 妇女规划三（三）（2）  | 47.1 > 47                               |
      | 2022 | w_district_party_committee_women   | 1      | met     | 区委组织部         | 妇女规划三（四）（4）  | 1 ≥ 1（至少 1 名）                        |
      | 2022 | w_district_government_women        | 0      | not_met | 区委组织部         | 妇女规划三（四）（4）  | 0 < 1                                   |
      | 2021 | w_township_chief_women             | 2      | met     | 区委组织部         | 妇女规划三（四）（5）  | 2 ≥ 1                                   |
      | 2022 | w_department_teams_with_women      | 50     | met     | 区委组织部         | 妇女规划三（四）（6）  | 一半以上含一半：50 ≥ 50                    |
      | 2022 | w_department_teams_with_women      | 49.9   | not_met | 区委组织部         | 妇女规划三（四）（6）  | 49.9 < 50                               |
      | 2023 | w_department_women_chiefs          | 3      | met     | 区委组织部         | 妇女规划三（四）（6）  | 3 ≥ 3                                   |
      | 2023 | w_department_women_chiefs          | 2      | not_met | 区委组织部         | 妇女规划三（四）（6）  | 2 < 3                                   |
      | 2024 | w_village_committee_female_share   | 30     | met     | 区委组织部         | 妇女规划三（四）（9）  | 30 ≥ 30                                 |
      | 2024 | w_village_committee_female_share   | 29.5   | not_met | 区委组织部         | 妇女规划三（四）（9）  | 29.5 < 30                               |
      | 2025 | w_community_committee_female_share | 52     | met     | 区委组织部         | 妇女规划三（四）（10） | 48 ≤ 52 ≤ 52                            |
      | 2022 | w_community_committee_female_share | 47.5   | not_met | 区委组织部         | 妇女规划三（四）（10） | 47.5 < 50 − 2 = 48                      |

  场景大纲: 2025 年目标在期末判定
    假如 “十四五”规划 2025 年度的监测数据
    而且 指标 "<指标>" 的监测值为 "<监测值>"
    当 按目标监测判定
    那么 指标 "<指标>" 的判定为 "<判定>"
    而且 指标 "<指标>" 的牵头单位为 "<牵头单位>"

    例子:
      | 指标                               | 监测值 | 判定    | 牵头单位     | 手算                              |
      | w_urban_employee_female_share      | 38     | met     | 区人社局     | 达到 40%左右：40 − 2 = 38 ≤ 38         |
      | w_urban_employee_female_share      | 42.5   | met     | 区人社局     | 42.5 ≥ 38：高于 40 也是“达到”（T-2）    |
      | w_urban_employee_female_share      | 37.9   | not_met | 区人社局     | 37.9 < 38                         |
      | w_senior_professional_female_share | 40     | met     | 区人社局、区妇联 | 40 ≥ 40                        |
      | w_senior_professional_female_share | 39     | not_met | 区人社局、区妇联 | 39 < 40                        |
      | w_community_director_female_share  | 33     | met     | 区委组织部   | 达到 35%左右：35 − 2 = 33 ≤ 33         |
      | w_community_director_female_share  | 45     | met     | 区委组织部   | 45 ≥ 33：高于 35 也是“达到”（T-2）      |
      | w_community_director_female_share  | 32     | not_met | 区委组织部   | 32 < 33                           |

  场景大纲: 未达到的目标中，“倡导实现”的只作注意提示，其余为违规
    假如 “十四五”规划 2025 年度的监测数据
    而且 指标 "<指标>" 的监测值为 "<监测值>"
    当 按目标监测判定
    那么 指标 "<指标>" 的判定为 "not_met"
    而且 指标 "<指标>" 的判定级别为 "<级别>"

    例子:
      | 指标                               | 监测值 | 级别        | 手算                                       |
      | w_senior_professional_female_share | 39     | warning   | 「倡导实现……达到40%」：39 < 40，倡导性目标（T-11） |
      | w_urban_employee_female_share      | 37.9   | violation | 「达到40%左右」：37.9 < 38                      |

  场景: 倡导性目标未达到的，说明写明是倡导实现的目标并引用解释 T-11
    假如 “十四五”规划 2025 年度的监测数据
    而且 指标 "w_senior_professional_female_share" 的监测值为 "39"
    当 按目标监测判定
    那么 指标 "w_senior_professional_female_share" 的说明写明 "倡导实现的目标未达标"
    而且 采用了解释 "T-11"

  场景: “左右”的目标期中不在区间内，报告为有风险并说明容差
    假如 “十四五”规划 2023 年度的监测数据
    而且 指标 "w_community_director_female_share" 的监测值为 "30"
    当 按目标监测判定
    # 达到 35%左右：不低于 35 − 2 = 33 即达到；30 < 33，期中报告有风险
    那么 指标 "w_community_director_female_share" 的判定为 "at_risk"
    而且 指标 "w_community_director_female_share" 的说明写明 "不低于 33% 即达到"
    而且 采用了解释 "T-4"

  场景: “保持在……左右”的目标高于区间的，也不在区间内
    假如 “十四五”规划 2023 年度的监测数据
    而且 指标 "w_community_committee_female_share" 的监测值为 "52.1"
    当 按目标监测判定
    # 保持在 50%左右：48–52；52.1 > 52
    那么 指标 "w_community_committee_female_share" 的判定为 "not_met"
    而且 指标 "w_community_committee_female_share" 的说明写明 "±2"

  场景: 区级党委、区政府领导班子各为一个指标
    假如 “十四五”规划 2022 年度的监测数据
    而且 指标 "w_district_party_committee_women" 的监测值为 "1"
    而且 指标 "w_district_government_women" 的监测值为 "2"
    当 按目标监测判定
    那么 指标 "w_district_party_committee_women" 的判定为 "met"
    而且 指标 "w_district_government_women" 的判定为 "met"
    而且 采用了解释 "T-10"

  场景: 部门正职女干部不足 3 人，按“一般不少于3人”报告未达标并写明解释
    假如 “十四五”规划 2024 年度的监测数据
    而且 指标 "w_department_women_chiefs" 的监测值为 "2"
    当 按目标监测判定
    那么 指标 "w_department_women_chiefs" 的判定为 "not_met"
    而且 采用了解释 "T-6"
