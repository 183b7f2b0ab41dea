"""Every rights rule, table-driven, each case written from the words of its article."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.datafile import DataError
from knowledge.rights import decide, load_tables
from knowledge.rights.amounts import deposit_effective, food_tenfold, fraud_triple
from knowledge.rights.decide import quote_of
from knowledge.statutes import StatuteStore

# (kind, facts, rule id that must fire, {amount label: amount}) — the statute sentence in the comment.
CASES = [
    # 消法25-1: 网络…销售商品，消费者有权自收到商品之日起七日内退货，且无需说明理由
    ("returns", {"channel": "online", "days_since_receipt": 3}, "returns.within_seven_days", {}),
    ("returns", {"channel": "online", "days_since_receipt": 7}, "returns.within_seven_days", {}),
    ("returns", {"channel": "online", "days_since_receipt": 8}, "returns.late", {}),
    # 线下购买不在“网络、电视、电话、邮购等方式”之列
    ("returns", {"channel": "offline", "days_since_receipt": 1}, "returns.offline", {}),
    # 25-1 但书: 定作的、鲜活易腐的…除外
    ("returns", {"channel": "online", "excepted": True, "days_since_receipt": 2}, "returns.excepted_category", {}),
    # 25-2: 经消费者在购买时确认不宜退货的商品，不适用无理由退货
    ("returns", {"channel": "online", "confirmed_at_purchase": True}, "returns.confirmed_unsuitable", {}),
    # 25-3: 消费者退货的商品应当完好
    ("returns", {"channel": "online", "tried_on": True}, "returns.tried_on", {}),
    ("returns", {}, "returns.general", {}),
    # 消法24-1: 没有国家规定和当事人约定的，消费者可以自收到商品之日起七日内退货
    ("quality", {"defect": "质量问题", "days_since_receipt": 5}, "quality.within_seven_days", {}),
    ("quality", {"defect": "质量问题", "days_since_receipt": 30}, "quality.after_seven_days", {}),
    ("quality", {}, "quality.general", {}),
    # 消法23-1: 但消费者在购买…前已经知道其存在瑕疵，且存在该瑕疵不违反法律强制性规定的除外
    ("quality", {"known_before_purchase": True, "defect": "划痕"}, "quality.known_before_purchase", {}),
    # 23-2: 保证…实际质量与表明的质量状况相符
    ("quality", {"not_as_stated": True}, "quality.not_as_stated", {}),
    # 23-3: 耐用商品…六个月内发现瑕疵，发生争议的，由经营者承担有关瑕疵的举证责任
    ("quality", {"burden_of_proof": True, "defect": "坏点"}, "quality.durable_burden_of_proof", {}),
    # 消法40-2: 因商品缺陷造成人身、财产损害的，可以向销售者要求赔偿，也可以向生产者要求赔偿
    ("quality", {"defect": "漏电", "injury": True}, "quality.injury", {}),
    # 三包: 三包有效期内修理两次仍不能正常使用的 → 换货或退货
    ("quality", {"defect": "黑屏", "repairs": 2}, "quality.repaired_twice", {}),
    # 三包: 售出十五日内性能故障 → 换货或修理 (7 < days <= 15)
    ("quality", {"defect": "不制冷", "sanbao_item": True, "days_since_receipt": 12}, "quality.sanbao_fifteen_days", {}),
    ("quality", {"defect": "不制冷", "sanbao_item": True, "days_since_receipt": 16}, "quality.after_seven_days", {}),
    ("quality", {"defect": "不制冷", "sanbao_item": True, "days_since_receipt": 6}, "quality.within_seven_days", {}),
    # 消法55-1: 三倍；增加赔偿的金额不足五百元的，为五百元
    ("fraud", {"fraud": True, "price": 800}, "fraud.established", {"增加赔偿": 2400}),
    ("fraud", {"fraud": True, "price": 100}, "fraud.established", {"增加赔偿": 500}),
    ("fraud", {"fraud": True}, "fraud.established", {}),
    ("fraud", {"fraud": False, "defect": "质量问题"}, "fraud.not_established", {}),
    # 55-2: 明知…缺陷…造成…健康严重损害的…二倍以下的惩罚性赔偿
    ("fraud", {"knew_defect": True, "serious_injury": True}, "fraud.known_defect_injury", {}),
    ("fraud", {}, "fraud.general", {}),
    # 食安148-2: 价款十倍或者损失三倍的赔偿金；增加赔偿的金额不足一千元的，为一千元
    ("food", {"food_unsafe": True, "price": 15}, "food.unsafe", {"赔偿金": 1000}),
    ("food", {"food_unsafe": True, "price": 2000}, "food.unsafe", {"赔偿金": 20000}),
    ("food", {"food_unsafe": True, "loss": 6000}, "food.unsafe", {"赔偿金": 18000}),
    # 148-2 但书: 标签、说明书存在不影响食品安全且不会对消费者造成误导的瑕疵的除外
    ("food", {"food_unsafe": False, "label_flaw": True}, "food.label_flaw_only", {}),
    ("food", {}, "food.general", {}),
    # 民法典587: 给付定金的一方不履行债务…无权请求返还定金
    ("deposit", {"deposit_defaulter": "buyer", "deposit": 2000}, "deposit.buyer_defaults", {}),
    # 587: 收受定金的一方不履行债务…应当双倍返还定金
    ("deposit", {"deposit_defaulter": "seller", "deposit": 1000}, "deposit.seller_defaults", {"双倍返还": 2000}),
    # 586-2: 不得超过主合同标的额的百分之二十，超过部分不产生定金的效力
    (
        "deposit",
        {"deposit_defaulter": "seller", "deposit": 30000, "price": 100000},
        "deposit.seller_defaults",
        {"双倍返还": 40000, "有效定金": 20000},
    ),
    ("deposit", {"deposit_kind": "订金", "deposit_defaulter": "buyer"}, "deposit.not_a_deposit", {}),
    # 588-1: 可以选择适用违约金或者定金条款
    ("deposit", {"deposit_defaulter": "seller", "penalty_clause": True}, "deposit.penalty_and_deposit", {}),
    # 588-2: 定金不足以弥补…损失的，对方可以请求赔偿超过定金数额的损失
    ("deposit", {"deposit_defaulter": "seller", "loss_exceeds_deposit": True}, "deposit.loss_exceeds", {}),
    ("deposit", {}, "deposit.general", {}),
    # 消法53: 未按照约定提供的，应当按照消费者的要求履行约定或者退回预付款
    ("prepaid", {"prepaid_closing": True}, "prepaid.not_performed", {}),
    ("prepaid", {"prepaid": True}, "prepaid.general", {}),
    ("standard_terms", {"standard_terms": True}, "standard_terms.unfair", {}),
    # 民法典496-2: 未履行提示或者说明义务…对方可以主张该条款不成为合同的内容
    ("standard_terms", {"not_highlighted": True}, "standard_terms.not_highlighted", {}),
    # 电商法20: 承担商品运输中的风险和责任。但是，消费者另行选择快递物流服务提供者的除外
    ("ecommerce", {"buyer_chose_carrier": True}, "ecommerce.buyer_chose_carrier", {}),
    ("ecommerce", {"not_received": True}, "ecommerce.not_received", {}),
    # 电商法19: 不得将搭售商品或者服务作为默认同意的选项
    ("ecommerce", {"tying": True}, "ecommerce.tying", {}),
    # 电商法62: 应当提供原始合同和交易记录
    ("ecommerce", {"wants_records": True}, "ecommerce.records", {}),
    # 消法39: 协商和解、调解、投诉、仲裁、诉讼
    ("ecommerce", {"dispute_channels": True}, "ecommerce.dispute_channels", {}),
    # 个保法47: 个人有权请求删除; 46: 有权请求…更正、补充; 消法29-3: 不得向其发送商业性信息
    ("personal_information", {"pi_request": "delete"}, "personal_information.delete", {}),
    ("personal_information", {"pi_request": "correct"}, "personal_information.correct", {}),
    ("personal_information", {"pi_request": "marketing"}, "personal_information.marketing", {}),
    ("advertising", {"misleading_ad": True}, "advertising.misleading", {}),
    # 广告法56-2: 关系消费者生命健康的…虚假广告…广告代言人应当与广告主承担连带责任
    ("advertising", {"endorser": True, "health_related": True}, "advertising.endorser_health", {}),
    ("advertising", {"endorser": True}, "advertising.misleading", {}),
    ("personal_information", {"pi": True}, "personal_information.general", {}),
    # 电商法24: 不得对…用户注销设置不合理条件; 个保法45: 有权…查阅、复制其个人信息; 15: 有权撤回其同意
    ("personal_information", {"pi_request": "closure"}, "personal_information.closure", {}),
    ("personal_information", {"pi_request": "access"}, "personal_information.access", {}),
    ("personal_information", {"pi_request": "withdraw"}, "personal_information.withdraw", {}),
    # 个保法28-1: 敏感个人信息…包括生物识别; 29: 处理敏感个人信息应当取得个人的单独同意
    ("personal_information", {"pi_request": "sensitive"}, "personal_information.sensitive", {}),
    # 个保法24-2: 信息推送、商业营销，应当同时提供不针对其个人特征的选项，或者…便捷的拒绝方式
    ("personal_information", {"pi_request": "profiling"}, "personal_information.profiling", {}),
    # 个保法24-1: 不得对个人在交易价格等交易条件上实行不合理的差别待遇
    ("pricing", {"price_discrimination": True}, "pricing.discrimination", {}),
    # 价格法14(四): 利用虚假的或者使人误解的价格手段，诱骗消费者…与其进行交易
    ("pricing", {"fake_original_price": True}, "pricing.fake_original", {}),
    # 价格法13-2: 不得在标价之外加价出售商品，不得收取任何未予标明的费用
    ("pricing", {"above_label": True, "overcharged": True}, "pricing.above_label", {}),
    # 价格法41: 致使消费者…多付价款的，应当退还多付部分
    ("pricing", {"overcharged": True}, "pricing.overcharged", {}),
    ("pricing", {}, "pricing.general", {}),
    # 消法27: 不得搜查消费者的身体及其携带的物品
    ("safety", {"searched": True, "premises_accident": True}, "safety.searched", {}),
    # 民法典1198-2: 因第三人的行为造成他人损害的，由第三人承担侵权责任；经营者…承担相应的补充责任
    ("safety", {"third_party_harm": True, "premises_accident": True}, "safety.third_party", {}),
    # 消法18-2: 商场、餐馆…的经营者，应当对消费者尽到安全保障义务
    ("safety", {"premises_accident": True}, "safety.premises", {}),
    # 消法19: 采取召回措施的，经营者应当承担消费者因商品被召回支出的必要费用
    ("safety", {"recall": True}, "safety.recall", {}),
    # 消法18-1: 对可能危及人身、财产安全的商品…应当…作出真实的说明和明确的警示
    ("safety", {"no_warning": True}, "safety.no_warning", {}),
    ("safety", {}, "safety.general", {}),
    # 消法43: 柜台租赁期满后，也可以向…柜台的出租者要求赔偿
    ("platform", {"counter_lessee": True, "seller_unreachable": True}, "platform.counter_lessee", {}),
    # 消法44-1: 平台提供者不能提供销售者…的真实名称、地址和有效联系方式的…也可以向平台提供者要求赔偿
    ("platform", {"seller_unreachable": True, "platform_knew": True}, "platform.seller_unreachable", {}),
    # 消法44-2: 明知或者应知…未采取必要措施的，依法…承担连带责任
    ("platform", {"platform_knew": True}, "platform.knew", {}),
    # 消法28: 采用网络…方式提供商品…的经营者…应当…提供经营地址、联系方式
    ("platform", {"no_contact_info": True}, "platform.no_contact_info", {}),
    ("platform", {}, "platform.general", {}),
    # 消法22: 消费者索要发票等购货凭证…的，经营者必须出具
    ("invoice", {"invoice": True}, "invoice.general", {}),
    # 消法24-1: 可以依照国家规定、当事人约定退货，或者要求经营者履行更换、修理等义务
    ("invoice", {"warranty_card_lost": True, "invoice": True}, "invoice.warranty_card_lost", {}),
    # 消法10: 有权获得…计量正确等公平交易条件; 52: 补足商品数量
    ("fair_trade", {"short_weight": True}, "fair_trade.short_weight", {}),
    # 消法10: 有权拒绝经营者的强制交易行为
    ("fair_trade", {"forced_trade": True}, "fair_trade.forced", {}),
    # 消法8-2: 有权…要求经营者提供商品的价格、产地…; 20-2: 应当作出真实、明确的答复
    ("fair_trade", {"info_refused": True}, "fair_trade.info_refused", {}),
    ("fair_trade", {}, "fair_trade.general", {}),
    # 民法典833: 赔偿额，当事人有约定的，按照其约定
    ("carriage", {"buyer_shipping": True, "insured": True}, "carriage.insured", {}),
    # 民法典832: 承运人对运输过程中货物的毁损、灭失承担赔偿责任
    ("carriage", {"buyer_shipping": True, "in_transit": True}, "carriage.lost_or_damaged", {}),
    # 旅游法35-2/3: 不得指定具体购物场所…有权…要求旅行社为其办理退货并先行垫付退货货款
    ("travel", {"tour": True, "tour_shopping": True}, "travel.shopping", {}),
    ("travel", {"tour": True}, "travel.general", {}),
    # 拍卖法61-2: 在拍卖前声明不能保证拍卖标的的真伪或者品质的，不承担瑕疵担保责任
    ("auction", {"auction": True, "auction_disclaimer": True, "undisclosed_flaw": True}, "auction.disclaimer", {}),
    # 拍卖法61-1: 未说明拍卖标的的瑕疵，给买受人造成损害的，买受人有权向拍卖人要求赔偿
    ("auction", {"auction": True, "undisclosed_flaw": True}, "auction.undisclosed_flaw", {}),
    ("auction", {"auction": True}, "auction.general", {}),
    # 消法23-3: 装饰装修等服务…六个月内发现瑕疵…由经营者承担有关瑕疵的举证责任
    ("service", {"service": True, "burden_of_proof": True}, "service.renovation_burden", {}),
    # 消法49: 造成…人身伤害的，应当赔偿医疗费、护理费、交通费…以及因误工减少的收入
    ("service", {"service": True, "injury": True}, "service.injury", {}),
    # 消法52: 造成消费者财产损害的，应当…承担修理、重作、更换…或者赔偿损失等民事责任
    ("service", {"service": True, "property_damage": True}, "service.property_damage", {}),
    ("service", {"service": True}, "service.general", {}),
    # 民法典585-2: 约定的违约金过分高于造成的损失的…可以…予以适当减少
    ("breach", {"penalty_too_high": True}, "breach.penalty_too_high", {}),
    # 585-2: 约定的违约金低于造成的损失的…可以…予以增加
    ("breach", {"penalty_too_low": True}, "breach.penalty_too_low", {}),
    # 民法典563-1(三): 迟延履行主要债务，经催告后在合理期限内仍未履行 → 可以解除合同
    ("breach", {"breach_event": True, "wants_termination": True, "extra_loss": True}, "breach.termination", {}),
    # 民法典584: 损失赔偿额应当相当于因违约所造成的损失，包括合同履行后可以获得的利益
    ("breach", {"breach_event": True, "extra_loss": True}, "breach.loss", {}),
    # 民法典577: 应当承担继续履行、采取补救措施或者赔偿损失等违约责任
    ("breach", {"breach_event": True}, "breach.general", {}),
    # 电商法20: 并承担商品运输中的风险和责任
    ("ecommerce", {"in_transit": True}, "ecommerce.in_transit", {}),
    # 电商法49: 用户选择该商品或者服务并提交订单成功，合同成立
    ("ecommerce", {"order_cancelled": True}, "ecommerce.order_cancelled", {}),
    # 电商法21: 符合押金退还条件的，电子商务经营者应当及时退还
    ("ecommerce", {"deposit_refund": True}, "ecommerce.deposit_refund", {}),
    # 民法典498: 格式条款和非格式条款不一致的，应当采用非格式条款
    ("standard_terms", {"terms_conflict": True, "standard_terms": True}, "standard_terms.interpretation", {}),
    # 消法26-2/3: 不得以…店堂告示等方式，作出排除或者限制消费者权利…其内容无效; 24-1 退换修
    ("standard_terms", {"standard_terms": True, "defect": "质量问题"}, "standard_terms.no_returns_with_defect", {}),
    # 产品质量法45-1: 诉讼时效期间为二年，自当事人知道或者应当知道其权益受到损害时起计算
    ("quality", {"asks_limitation": True, "defect": "爆了"}, "quality.asks_limitation", {}),
    # 消法54: 依法经有关行政部门认定为不合格的商品，消费者要求退货的，经营者应当负责退货
    ("quality", {"officially_substandard": True, "defect": "质量问题"}, "quality.officially_substandard", {}),
    # 民法典582: 可以合理选择请求对方承担修理、重作、更换、退货、减少价款或者报酬等违约责任
    ("quality", {"not_as_stated": True, "wants_reduction": True}, "quality.price_reduction", {}),
    # 消法25-3: 经营者应当自收到退回商品之日起七日内返还消费者支付的商品价款
    ("returns", {"refund_delayed": True, "channel": "online"}, "returns.refund_delayed", {}),
    # 25-3: 退回商品的运费由消费者承担；经营者和消费者另有约定的，按照约定
    ("returns", {"return_shipping": True}, "returns.shipping", {}),
    # 25-3: 消费者退货的商品应当完好
    ("returns", {"channel": "online", "opened": True, "days_since_receipt": 2}, "returns.opened", {}),
    ("returns", {"channel": "offline", "opened": True}, "returns.offline", {}),
    # 电商法17: 不得以虚构交易、编造用户评价等方式进行虚假或者引人误解的商业宣传
    ("advertising", {"fake_reviews": True, "misleading_ad": True}, "advertising.fake_reviews", {}),
    # 电商法39-2: 不得删除消费者对其平台内销售的商品或者提供的服务的评价
    ("ecommerce", {"review_deleted": True}, "ecommerce.review_deleted", {}),
    # 电商法57-2: 未经授权的支付造成的损失，由电子支付服务提供者承担
    ("ecommerce", {"unauthorized_payment": True}, "ecommerce.unauthorized_payment", {}),
    # 消法29-2: 不得泄露、出售或者非法向他人提供; 个保法57: 应当立即采取补救措施，并通知…个人
    ("personal_information", {"pi_request": "leaked"}, "personal_information.leaked", {}),
    # Third batch (issue 11, LQ3): each case from the words of its article.
    # 民法典20: 不满八周岁的未成年人为无民事行为能力人; 144: 无民事行为能力人实施的民事法律行为无效
    ("minors", {"minor_age": 7}, "minors.under_eight", {}),
    # 民法典19: 八周岁以上的未成年人为限制民事行为能力人; 145-1: 其他民事法律行为经法定代理人同意或者追认后有效
    ("minors", {"minor_age": 8}, "minors.limited_capacity", {}),
    ("minors", {"minor_age": 17}, "minors.limited_capacity", {}),
    ("minors", {"minor_age": 18}, "minors.general", {}),
    ("minors", {"minor_teen": True}, "minors.teenager", {}),
    ("minors", {}, "minors.general", {}),
    # 民法典1207: 明知产品存在缺陷仍然生产、销售…造成他人死亡或者健康严重损害的…惩罚性赔偿
    ("product_liability", {"knew_defect": True, "serious_injury": True}, "product_liability.known_defect", {}),
    ("product_liability", {"knew_defect": True}, "product_liability.general", {}),
    # 产品质量法41-1: 缺陷造成…缺陷产品以外的其他财产损害的，生产者应当承担赔偿责任
    ("product_liability", {"defect_harm": True}, "product_liability.property", {}),
    # 消法40-2 / 民法典1203-1: 可以向销售者要求赔偿，也可以向生产者要求赔偿 (a person hurt)
    ("product_liability", {"defect_harm": True, "injury": True}, "product_liability.general", {}),
    # 民法典820: 迟延运输…根据旅客的要求安排改乘其他班次或者退票
    ("passenger", {"passenger_delay": True}, "passenger.delay", {}),
    # 823-1: 承运人应当对运输过程中旅客的伤亡承担赔偿责任
    ("passenger", {"injury": True}, "passenger.injury", {}),
    # 824-2: 旅客托运的行李毁损、灭失的，适用货物运输的有关规定 (832)
    ("passenger", {"checked_baggage": True}, "passenger.checked_baggage", {}),
    # 824-1: 随身携带物品毁损、灭失，承运人有过错的，应当承担赔偿责任
    ("passenger", {"item_lost": True}, "passenger.general", {}),
    # 民法典888-2: 购物、就餐…将物品存放在指定场所的，视为保管; 897: 保管不善…应当承担赔偿责任
    ("storage", {"deposited_item": True, "item_lost": True}, "storage.general", {}),
    # 民法典638-1: 试用期内可以购买…也可以拒绝购买。试用期限届满…未作表示的，视为购买
    ("sales", {"trial_sale": True}, "sales.trial", {}),
    ("sales", {"trial_sale": True, "trial_expired": True}, "sales.trial_expired", {}),
    # 民法典634-1: 未支付到期价款的数额达到全部价款的五分之一，经催告后…仍未支付
    ("sales", {"instalment": True}, "sales.instalment", {}),
    # 保险法17-2: 未作提示或者明确说明的，该条款不产生效力
    ("insurance", {"insurance_exclusion": True}, "insurance.exclusion_not_explained", {}),
    # 旅游法63-1/3: 未达到约定人数…境内旅游应当至少提前七日通知…应当向旅游者退还已收取的全部费用
    ("travel", {"tour": True, "tour_cancelled": True}, "travel.not_enough_people", {}),
    # 旅游法67(二)(四): 不可抗力…增加的返程费用，由旅行社与旅游者分担
    ("travel", {"tour": True, "force_majeure": True}, "travel.force_majeure", {}),
    # 旅游法65: 旅游者解除合同的，组团社应当在扣除必要的费用后，将余款退还旅游者
    ("travel", {"tour": True, "tourist_quits": True}, "travel.tourist_quits", {}),
    ("travel", {"tour": True, "tourist_quits": True, "tour_shopping": True}, "travel.shopping", {}),
    # 旅游法69-1: 不得擅自变更旅游行程安排; 70-1: 违约责任 (before the shopping rule: 改去购物店)
    ("travel", {"tour": True, "itinerary_changed": True}, "travel.itinerary_changed", {}),
    # 69-1 + 35-2: 不得指定具体购物场所 (a day replaced by a shop)
    ("travel", {"tour": True, "itinerary_changed": True, "tour_shopping": True}, "travel.changed_to_shopping", {}),
    # 电商法37-2: 对其标记为自营的业务依法承担商品销售者…的民事责任
    ("ecommerce", {"self_operated": True}, "ecommerce.self_operated", {}),
    # 消法40-1: 可以向销售者要求赔偿。销售者赔偿后…有权向生产者…追偿; 产品质量法40-1
    ("quality", {"refers_to_maker": True, "defect": "质量问题"}, "quality.seller_refers_to_maker", {}),
    ("quality", {"refers_to_maker": True}, "quality.general", {}),  # no defect: not the seller's repair duty
    # 民法典506(一): 造成对方人身损害的免责条款无效
    ("standard_terms", {"injury_exemption": True, "standard_terms": True}, "standard_terms.injury_exemption", {}),
    # 消法26-1: 以显著方式提请消费者注意…价款或者费用、履行期限和方式 (实施条例10: 自动续费)
    ("standard_terms", {"auto_renewal": True}, "standard_terms.auto_renewal", {}),
    # 广告法17: 除医疗、药品、医疗器械广告外，禁止其他任何广告涉及疾病治疗功能
    ("advertising", {"health_claim": True}, "advertising.health_claim", {}),
    # 消法45-3: 个人在关系消费者生命健康商品…的虚假宣传中向消费者推荐商品…承担连带责任
    ("advertising", {"streamer_claim": True, "health_related": True}, "advertising.streamer_health", {}),
    # 消法14: 享有人格尊严、民族风俗习惯得到尊重的权利; 50: 赔礼道歉，并赔偿损失
    ("safety", {"dignity": True}, "safety.dignity", {}),
    # + 消法39: 协商和解…请求消费者协会…调解…投诉…仲裁…起诉 (an insulted customer asking where to complain)
    ("safety", {"dignity": True, "dispute_channels": True}, "safety.dignity_complaint", {}),
    # 1198-2 is the more specific ground when a third party hurt the customer
    ("safety", {"dignity": True, "third_party_harm": True}, "safety.third_party", {}),
    # 消法41: 因原企业分立、合并的，可以向变更后承受其权利义务的企业要求赔偿 (+53 for a prepaid card)
    ("platform", {"restructured": True}, "platform.restructured", {}),
    ("platform", {"restructured": True, "prepaid": True}, "platform.restructured_prepaid", {}),
    # 消法44-1: 通过网络交易平台购买…可以向销售者…要求赔偿 (实施条例14: 直播)
    ("platform", {"live_stream_dispute": True}, "platform.live_stream", {}),
    # 中国人民银行法16: 任何单位和个人不得拒收
    ("fair_trade", {"cash_refused": True}, "fair_trade.cash_refused", {}),
    # 食品安全法97: 进口的预包装食品…应当有中文标签
    ("food", {"no_chinese_label": True, "food_unsafe": True}, "food.no_chinese_label", {}),
    # 食品安全法67-1: 预包装食品的包装上应当有标签…生产日期…保质期
    ("food", {"label_missing": True}, "food.label_missing", {}),
    # 消法16-2: 经营者和消费者有约定的，应当按照约定履行义务 (假一赔十 above the 三倍 of 55-1)
    ("fraud", {"fraud": True, "promise": True}, "fraud.promised_more", {}),
    # 消法16-2 + 民法典577: 不履行合同义务…承担继续履行、采取补救措施或者赔偿损失等违约责任
    ("breach", {"promise": True}, "breach.promise", {}),
]


@pytest.mark.parametrize(("kind", "facts", "rule_id", "amounts"), CASES)
def test_rule_fires_with_amounts(kind: str, facts: dict[str, object], rule_id: str, amounts: dict[str, float]) -> None:
    decision = decide(kind, facts)
    assert decision is not None and decision.rule_id == rule_id
    got = {r.amount_label: r.amount for r in decision.rights if r.amount is not None}
    for label, amount in amounts.items():
        assert got[label] == amount
    assert "{" not in decision.says


def test_every_rule_has_a_case() -> None:
    tested = {case[2] for case in CASES}
    every = {rule.id for table in load_tables().values() for rule in table.rules}
    assert every <= tested, sorted(every - tested)


def test_every_ground_exists_and_is_in_force() -> None:
    store = StatuteStore.open_default()
    for table in load_tables().values():
        for rule in table.rules:
            for spec in rule.rights:
                article = store.get(spec.ground.law, spec.ground.article)
                assert article is not None and article.in_force, (rule.id, spec.ground)
                quoted = quote_of(article.text, spec.ground)
                assert quoted.endswith("。"), (rule.id, quoted)  # whole sentences only (an item ends as one)


@pytest.mark.parametrize(("price", "expected"), [(100, 500), (166, 500), (167, 501), (800, 2400)])
def test_fraud_floor(price: float, expected: float) -> None:
    assert fraud_triple(price) == expected


@pytest.mark.parametrize(
    ("price", "loss", "expected"),
    [(15, None, 1000), (48, None, 1000), (2000, None, 20000), (None, 6000, 18000), (100, 500, 1500)],
)
def test_food_tenfold_or_threefold_loss(price: float | None, loss: float | None, expected: float) -> None:
    assert food_tenfold(price, loss) == expected


@pytest.mark.parametrize(
    ("deposit", "price", "expected"), [(30000, 100000, 20000), (1000, 10000, 1000), (1000, None, 1000)]
)
def test_deposit_cap(deposit: float, price: float | None, expected: float) -> None:
    assert deposit_effective(deposit, price) == expected


def test_schema_rejects_unknown_key_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "kind: x\nname: x\nrules:\n- id: a\n  says: s\n  rights: []\n  colour: red\n", encoding="utf-8"
    )
    load_tables.cache_clear()
    with pytest.raises(DataError, match=r"bad\.yaml:7: .*colour"):  # the line of the offending key
        load_tables(tmp_path)
    load_tables.cache_clear()
