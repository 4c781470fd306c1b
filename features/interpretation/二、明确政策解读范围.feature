# language: zh-CN
功能: 二、明确政策解读范围 哪些文件必须解读
  临兰政办字〔2022〕13号 二、明确政策解读范围原文：
  「政策解读具体范围至少包括：
  （一）区政府规范性文件。
  （二）区政府部门规范性文件。
  （三）以区政府、区政府办公室和区政府部门名义制定印发的具有管理公共事务作用，涉及公民、法人或者其他组织权利义务、切身利益及重大公共利益、社会关注度高，需要广泛知晓的政策文件。
  （四）其他需要进行解读的政策性文件。」
  解释 J-3：区政府办公室的规范性文件归入（一），联合制发的归入（二）。解释 J-2：（三）须具有管理公共事务作用，
  并涉及所列权利义务、切身利益、重大公共利益、社会关注度高、需要广泛知晓之一（由报送部门判断，事实 concerns_public）。
  （四）由区政府办公室政务公开科研判（事实 other_needs_interpretation）。属于范围的列 interpretation_required（info）并写明哪一项。

  场景大纲: 四项范围
    假如 一份于 2023-05-08 公布的政策文件，发文名义为 "<发文名义>"，起草部门为 "区住建局"
    而且 事实 "<事实一>" 为 "true"
    而且 事实 "<事实二>" 为 "true"
    当 按政策解读规定检查
    那么 有一条 "interpretation_required" 提示，级别为 "info"，依据包含 "二、明确政策解读范围"
    而且 "interpretation_required" 提示写明 "<范围>"
    而且 没有 "interpretation_not_required" 提示

    例子:
      | 发文名义                       | 事实一                        | 事实二             | 范围             |
      | district_government        | normative                  | normative       | （一）区政府规范性文件    |
      | district_government_office | normative                  | normative       | （一）区政府规范性文件    |
      | district_department        | normative                  | normative       | （二）区政府部门规范性文件  |
      | joint_departments          | normative                  | normative       | （二）区政府部门规范性文件  |
      | district_department        | manages_public_affairs     | concerns_public | （三）具有管理公共事务作用 |
      | district_government        | other_needs_interpretation | other_needs_interpretation | （四）其他需要进行解读的政策性文件 |

  场景: （三）只具有管理公共事务作用、未涉及公众的，不在范围内
    假如 一份于 2023-05-08 公布的政策文件，发文名义为 "district_government"，起草部门为 "区住建局"
    而且 事实 "manages_public_affairs" 为 "true"
    当 按政策解读规定检查
    那么 有一条 "interpretation_not_required" 提示，级别为 "info"，依据包含 "二、明确政策解读范围"
    而且 没有 "interpretation_required" 提示
    而且 采用了解释 "J-2"

  场景: 同时属于两项范围的，两项都列出
    假如 一份于 2023-05-08 公布的政策文件，发文名义为 "district_government_office"，起草部门为 "区住建局"
    而且 事实 "normative" 为 "true"
    而且 事实 "manages_public_affairs" 为 "true"
    而且 事实 "concerns_public" 为 "true"
    当 按政策解读规定检查
    那么 有 2 条 "interpretation_required" 提示
    而且 采用了解释 "J-3"
    而且 采用了解释 "J-2"
