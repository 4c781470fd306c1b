# language: zh-CN
@engine
功能: 第二十二条 先补偿、后搬迁
  临兰政发〔2022〕1号《临沂市兰山区国有土地上房屋征收与补偿办法》第二十二条第一款原文：
  「实施房屋征收应当先补偿、后搬迁。区人民政府对被征收人给予补偿后，被征收人应当在补偿协议约定或者补偿决定确定的搬迁期限内完成搬迁。」
  已搬迁的，补偿支付之日不晚于搬迁之日（同日先付后搬）的列 compensation_before_relocation（info）；
  补偿晚于搬迁的，列 relocation_before_compensation（violation）；已搬迁而未填补偿支付之日的，无法核对先后，
  列 compensation_date_missing（warning），不作违规结论。在进程内由引擎计算。

  场景大纲: 补偿支付之日与搬迁之日
    假如 征收决定于 2023-05-10 作出的征收项目
    而且 程序时间 "compensation_paid" 为 <补偿日期>
    而且 程序时间 "relocation" 为 <搬迁日期>
    当 按征收程序检查
    那么 有一条 "<提示>" 提示，级别为 "<级别>"，依据包含 "第二十二条"

    例子:
      | 补偿日期       | 搬迁日期       | 提示                              | 级别        | 手算          |
      | 2023-07-20 | 2023-08-01 | compensation_before_relocation | info      | 先补偿后搬迁      |
      | 2023-08-01 | 2023-08-01 | compensation_before_relocation | info      | 同日支付，不晚于搬迁  |
      | 2023-08-02 | 2023-08-01 | relocation_before_compensation | violation | 搬迁次日才补偿     |

  场景: 已搬迁而未填补偿支付之日的，提示无法核对，不作违规结论
    假如 征收决定于 2023-05-10 作出的征收项目
    而且 程序时间 "relocation" 为 2023-08-01
    当 按征收程序检查
    那么 有一条 "compensation_date_missing" 提示，级别为 "warning"，依据包含 "第二十二条"
    而且 "compensation_date_missing" 提示写明 "已于 2023-08-01 搬迁，未填补偿支付之日"
    而且 没有 "relocation_before_compensation" 提示
    而且 没有 "compensation_before_relocation" 提示
