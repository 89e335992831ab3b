"""The taxonomy grown from the genre as a whole: sentences written for these tests (invented,
not taken from bulletins) in the forms police, traffic and fire bulletins use, each with
the metric one figure in it must get.

They cover what a plain `trigger + number` sentence (tests/test_taxonomy.py) cannot: the
trigger after the number (连续240天零发案), a word two fields share (受伤, 经济损失) read by
the field the sentence is about, a verb that outranks the noun it counts (筛查手机), and the
110 statistics by type. A figure's category is what the scorer of unseen bulletins checks,
so each case also checks that the metric's category is the one its row says.
"""
from __future__ import annotations

import pytest

from etl import reference
from etl.extract import extract_text
from etl.manifest import Meta

BULLETIN = "0" * 16

CASES = [
    # ---- 110: calls received, valid calls, calls by type
    ("今年以来，全县110共接报警情4.2万起，其中有效警情2.6万起。", "2.6万起", "valid_incidents"),
    ("市局指挥中心全年接报有效警情18650起，同比下降6.1%。", "18650起", "valid_incidents"),
    ("1至6月，该局共接报有效报警5230起。", "5230起", "valid_incidents"),
    ("从警情类别看，求助类警情3200起，位居首位。", "3200起", "help_calls"),
    ("全市接报求助类警情1.1万余起、纠纷类警情6800余起。", "1.1万余起", "help_calls"),
    ("全市接报求助类警情1.1万余起、纠纷类警情6800余起。", "6800余起", "dispute_calls"),
    ("其中纠纷类警情1862起，同比下降12%。", "1862起", "dispute_calls"),
    ("纠纷类警情同比下降9.8%，矛盾化解在基层。", "9.8%", "dispute_calls_change"),
    ("交通类警情4100起，在各类警情中排第二。", "4100起", "traffic_calls"),
    ("该局接报交通类警情2316起，较去年略有增加。", "2316起", "traffic_calls"),
    ("移车类警情达5600余起，占全部警情两成。", "5600余起", "vehicle_move_calls"),
    ("挪车类警情1280起，已全部引导至线上处理。", "1280起", "vehicle_move_calls"),
    ("夜间噪音扰民类警情860起，同比上升15.2%。", "860起", "noise_calls"),
    ("噪声扰民警情下降至412起。", "412起", "noise_calls"),
    ("咨询类警情1.5万起，占比最高。", "1.5万起", "enquiry_calls"),
    ("全年接报无效警情2300余起，同比下降8%。", "2300余起", "invalid_calls"),
    ("求助类警情占全部警情的38.6%。", "38.6%", "help_calls_share"),
    ("交通类警情占比21.3%。", "21.3%", "traffic_calls_share"),
    ("缙云县公安局110接警量同比上升5.2%，日均接警156起。", "156起", "incidents_total"),
    ("全区110报警共计3.2万起，同比下降4%。", "3.2万起", "incidents_total"),
    ("今年以来共接报警求助1.8万起，处置率100%。", "1.8万起", "incidents_total"),
    ("该所全年接到报警电话4100余个。", "4100余个", "incidents_total"),
    # ---- incidents and crime
    ("今年以来全县刑事发案1203起，同比下降18%。", "1203起", "criminal_incidents"),
    ("全市共发生命案2起，破案率100%。", "2起", "homicide_cases"),
    ("全市共发生命案2起，破案率100%。", "100%", "clearance_rate"),
    ("该局今年侦破命案积案4起。", "4起", "homicide_cases"),
    ("现行命案发案数同比下降50%。", "50%", "homicide_cases_change"),
    ("“两抢”案件同比下降45%，盗窃案件下降21%。", "45%", "robbery_cases_change"),
    ("全年破获抢劫抢夺案件17起。", "17起", "robbery_cases"),
    ("入室盗窃警情同比下降56.3%。", "56.3%", "theft_incidents_change"),
    ("破获盗窃电动车案件86起。", "86起", "theft_cases"),
    ("查处涉黄案件23起、涉赌案件156起。", "23起", "vice_cases"),
    ("查处涉黄案件23起、涉赌案件156起。", "156起", "gambling_cases"),
    ("严打黄赌毒，查处卖淫嫖娼案件31起。", "31起", "vice_cases"),
    ("打掉涉黑涉恶团伙6个，破获涉恶案件58起。", "6个", "gangs_busted"),
    ("打掉涉黑涉恶团伙6个，破获涉恶案件58起。", "58起", "organised_crime_cases"),
    ("扫黑除恶常态化以来，共侦办涉黑涉恶案件132起。", "132起", "organised_crime_cases"),
    ("经侦部门破获经济犯罪案件45起。", "45起", "economic_crime_cases"),
    ("侦破非法集资案件8起。", "8起", "economic_crime_cases"),
    ("破获帮信案件230起，抓获犯罪嫌疑人410名。", "230起", "cyber_crime_cases"),
    ("侦破侵犯公民个人信息案件16起。", "16起", "cyber_crime_cases"),
    ("侦破食品药品犯罪案件27起。", "27起", "food_drug_cases"),
    ("今年以来全县电信网络诈骗发案同比下降32.5%。", "32.5%", "fraud_cases_change"),
    # ---- arrests
    ("刑事拘留犯罪嫌疑人320人，移送起诉560人。", "560人", "arrests"),
    ("依法采取刑事强制措施780人。", "780人", "arrests"),
    ("行政拘留违法人员1230人。", "1230人", "arrests"),
    ("提请批准逮捕86人。", "86人", "arrests"),
    # ---- anti-fraud: losses, money stopped, people dissuaded, warnings, the app
    ("电诈案件造成群众损失2300万元，同比下降41%。", "2300万元", "fraud_losses"),
    ("电诈案件造成群众经济损失2300万元。", "2300万元", "fraud_losses"),
    ("今年以来累计拦截涉诈资金2.3亿元。", "2.3亿元", "fraud_losses_recovered"),
    ("成功劝阻潜在受害人1.2万人，避免群众损失3.6亿元。", "1.2万人", "fraud_interceptions"),
    ("成功劝阻潜在受害人1.2万人，避免群众损失3.6亿元。", "3.6亿元", "fraud_losses_recovered"),
    ("反诈中心紧急止付涉案资金860万元。", "860万元", "fraud_losses_recovered"),
    ("为受害群众返还被骗资金2300余万元。", "2300余万元", "fraud_losses_recovered"),
    ("全年止损8000余万元。", "8000余万元", "fraud_losses_recovered"),
    ("避免经济损失1.6亿元。", "1.6亿元", "fraud_losses_recovered"),
    ("下发预警指令4.6万条，见面劝阻1.8万人次。", "4.6万条", "fraud_interceptions"),
    ("推送涉诈预警线索1.6万条。", "1.6万条", "fraud_interceptions"),
    ("推动群众下载注册国家反诈中心APP 28万人。", "28万人", "antifraud_app"),
    ("全市反诈APP注册率达85.3%。", "85.3%", "antifraud_app_rate"),
    ("全县国家反诈中心APP安装率提升至76%。", "76%", "antifraud_app_rate"),
    # ---- anti-fraud: phones and apps screened, cards and accounts dealt with
    ("民警上门为群众开展手机反诈体检1.3万部，发现涉诈APP 260个。", "1.3万部", "devices_screened"),
    ("民警上门为群众开展手机反诈体检1.3万部，发现涉诈APP 260个。", "260个", "fraud_apps_found"),
    ("筛查群众手机8600余台，清理涉诈软件320余个。", "8600余台", "devices_screened"),
    ("筛查群众手机8600余台，清理涉诈软件320余个。", "320余个", "fraud_apps_found"),
    ("封堵涉诈网站1900余个。", "1900余个", "fraud_apps_found"),
    ("处置涉诈电话卡2.1万张、银行卡8600余张。", "2.1万张", "fraud_cards"),
    ("处置涉诈电话卡2.1万张、银行卡8600余张。", "8600余张", "fraud_cards"),
    ("查获POS机25台，收缴手机卡900余张。", "25台", "fraud_cards"),
    ("查获POS机25台，收缴手机卡900余张。", "900余张", "fraud_cards"),
    ("关停涉诈物联网卡3000余张。", "3000余张", "fraud_cards"),
    ("止付冻结涉案账户1860个。", "1860个", "fraud_cards"),
    ("打掉“两卡”犯罪团伙12个。", "12个", "gangs_busted"),
    # ---- disputes and mediation
    ("全年调处化解各类矛盾纠纷5620起，调解成功率98.2%。", "5620起", "disputes_resolved"),
    ("成功调解邻里纠纷860余件。", "860余件", "disputes_resolved"),
    ("就地化解矛盾纠纷326起，化解率达97%。", "97%", "mediation_rate"),
    ("组建人民调解员队伍，吸纳调解员120名。", "120名", "volunteers"),
    # ---- road traffic: accidents, deaths, injuries, losses (field words decide)
    ("今年1-10月，全市共发生道路交通事故356起，死亡12人，受伤89人，直接经济损失126万元。", "356起",
     "traffic_accidents"),
    ("今年1-10月，全市共发生道路交通事故356起，死亡12人，受伤89人，直接经济损失126万元。", "12人",
     "traffic_deaths"),
    ("今年1-10月，全市共发生道路交通事故356起，死亡12人，受伤89人，直接经济损失126万元。", "89人",
     "traffic_injuries"),
    ("今年1-10月，全市共发生道路交通事故356起，死亡12人，受伤89人，直接经济损失126万元。", "126万元",
     "traffic_losses"),
    ("全县发生亡人交通事故8起，造成15人受伤，直接财产损失30万元。", "15人", "traffic_injuries"),
    ("全县发生亡人交通事故8起，造成15人受伤，直接财产损失30万元。", "30万元", "traffic_losses"),
    ("一季度，全区交通事故受伤人数同比下降18.5%。", "18.5%", "traffic_injuries_change"),
    ("交通事故造成经济损失46.8万元。", "46.8万元", "traffic_losses"),
    ("一般程序道路交通事故起数同比下降12.6%，受伤人数下降9.1%。", "9.1%", "traffic_injuries_change"),
    ("全市涉电动自行车交通事故较去年减少126起，事故受伤人员减少98人。", "98人", "traffic_injuries_change"),
    # ---- traffic enforcement
    ("查处醉驾56起、酒驾312起。", "56起", "drink_driving"),
    ("交警部门查处酒后驾驶违法63起。", "63起", "drink_driving"),
    ("查处无证驾驶违法行为420起，超员超载违法186起。", "186起", "traffic_violations"),
    ("查处闯红灯违法2300余起。", "2300余起", "traffic_violations"),
    ("查处电动自行车骑乘人员不戴头盔违法行为1.6万起。", "1.6万起", "traffic_violations"),
    ("查处未系安全带违法行为4200起。", "4200起", "traffic_violations"),
    ("查处涉牌涉证违法行为860起。", "860起", "traffic_violations"),
    ("暂扣电动自行车320辆。", "320辆", "vehicles_impounded"),
    ("扣留机动车45辆，吊销驾驶证12本。", "45辆", "vehicles_impounded"),
    ("扣留机动车45辆，吊销驾驶证12本。", "12本", "licences_revoked"),
    ("排查整治道路交通安全隐患点段48处。", "48处", "traffic_hazards"),
    ("督促整改事故隐患126处。", "126处", "traffic_hazards"),
    ("设卡检查过往车辆1.2万辆次。", "1.2万辆次", "vehicles_checked"),
    ("民警共检查车辆3200余辆。", "3200余辆", "vehicles_checked"),
    ("全县电动自行车头盔佩戴率提升至92%。", "92%", "helmet_rate"),
    # ---- fire
    ("今年1-10月，全市共发生火灾1042起，死亡2人，受伤5人，直接财产损失860万元。", "5人", "fire_casualties"),
    ("今年1-10月，全市共发生火灾1042起，死亡2人，受伤5人，直接财产损失860万元。", "860万元",
     "fire_property_losses"),
    ("全市火灾起数同比下降16.2%。", "16.2%", "fires_change"),
    ("火灾事故造成直接经济损失320万元。", "320万元", "fire_property_losses"),
    ("县消防救援大队今年接报火警896起。", "896起", "fires"),
    ("今年建成消防站3座，建成微型消防站126个。", "3座", "fire_stations"),
    ("今年建成消防站3座，建成微型消防站126个。", "126个", "fire_stations"),
    ("新建乡镇专职消防队5支。", "5支", "fire_stations"),
    ("县消防救援大队全年出警1360起，营救被困人员230人。", "1360起", "rescues"),
    ("县消防救援大队全年出警1360起，营救被困人员230人。", "230人", "rescues"),
    ("抢险救援出动1200余次，疏散群众860人。", "860人", "rescues"),
    ("开展消防监督检查单位1860家。", "1860家", "fire_inspections"),
    ("督促整改火灾隐患3200处，整改率96%。", "3200处", "fire_hazards"),
    # ---- teams and volunteers
    ("全县平安志愿者发展到1.2万名。", "1.2万名", "volunteers"),
    ("全市义警队员达3600人。", "3600人", "volunteers"),
    ("发动巡防队员860名开展夜间巡逻。", "860名", "volunteers"),
    ("组建义警队伍26支，吸纳队员1800余人。", "26支", "teams_other"),
    ("组建义警队伍26支，吸纳队员1800余人。", "1800余人", "volunteers"),
    ("治安志愿者2300余人次参与巡逻。", "2300余人次", "volunteers"),
    ("群防群治队伍壮大到5600人。", "5600人", "volunteers"),
    ("组织保安员3200余名参与社会面巡防。", "3200余名", "volunteers"),
    ("组建红袖章巡逻队45支。", "45支", "patrol_teams"),
    # ---- items seized
    ("收缴管制刀具236把。", "236把", "weapons_seized"),
    ("清查中查获各类刀具58把。", "58把", "weapons_seized"),
    ("收缴非法枪支12支。", "12支", "weapons_seized"),
    ("扣押涉案车辆32辆。", "32辆", "items_seized"),
    ("查扣作案工具120余件。", "120余件", "items_seized"),
    ("起获赃物360余件。", "360余件", "items_seized"),
    ("缴获各类手机560部。", "560部", "items_seized"),
    ("缴获毒品3.6千克。", "3.6千克", "drugs_seized"),
    ("查获冰毒520克。", "520克", "drugs_seized"),
    # ---- people rescued or found
    ("帮助找回走失儿童36名。", "36名", "people_rescued"),
    ("成功寻回走失老人58人。", "58人", "people_rescued"),
    ("民警劝下轻生人员12人。", "12人", "people_rescued"),
    ("全年救助群众1860人次。", "1860人次", "people_rescued"),
    ("常山县公安局今年以来共受理群众求助1万余次。", "1万余次", "assistance"),
    # ---- zero-incident days
    ("该村已连续240天零发案。", "240天", "zero_incident_days"),
    ("辖区实现连续1000天刑事案件零发案。", "1000天", "zero_incident_days"),
    ("城区创下连续365天无刑事案件的纪录。", "365天", "zero_incident_days"),
    # ---- security missions
    ("圆满完成各类安保任务126次。", "126次", "security_missions"),
    ("全年承担大型活动安保86场。", "86场", "security_missions"),
    ("完成重大安保活动32项。", "32项", "security_missions"),
    ("投入安保警力1.2万人次。", "1.2万人次", "police_deployed"),
    # ---- leads, risks and hidden dangers
    ("排查风险隐患1200处，整改到位1180处。", "1200处", "risks_found"),
    ("排查风险隐患1200处，整改到位1180处。", "1180处", "risks_found"),
    ("发现并整改治安隐患360余处。", "360余处", "risks_found"),
    ("收集涉黑涉恶线索86条。", "86条", "leads_found"),
    ("核查各类线索2300余条。", "2300余条", "leads_found"),
    # ---- community policing
    ("走访辖区群众2.3万户。", "2.3万户", "visits"),
    ("入户走访3600余户。", "3600余户", "visits"),
    ("社区民警开展家访860次。", "860次", "visits"),
    ("全县划分警务网格320个。", "320个", "grids"),
    ("建成社区警务室56个。", "56个", "service_points"),
    ("选派驻村民警120名。", "120名", "staff"),
    ("在校门口设立护学岗86个。", "86个", "checkpoints"),
    ("城区繁华路段共设立巡逻点位36个。", "36个", "checkpoints"),
    ("节假日在景区周边设置交通疏导点15个。", "15个", "checkpoints"),
    ("大队组建流动检查组12个，昼夜巡查。", "12个", "checkpoints"),
    # ---- context of the area served: vessels, islands, coastline, vehicles, workshops
    ("全县现有在册渔船1830艘，渔民1.2万人。", "1830艘", "vessels_registered"),
    ("辖区共有出海船只960余艘。", "960余艘", "vessels_registered"),
    # (a vessel is what was counted: the verb before it says what was done with it)
    ("海警工作站查扣涉嫌非法捕捞渔船11艘。", "11艘", "items_seized"),
    ("台风期间协助救助遇险船只5艘。", "5艘", "rescues"),
    ("该县由大小岛屿186个组成。", "186个", "islands"),
    ("辖区海岸线长218公里，港湾众多。", "218公里", "coastline_length"),
    ("全市机动车保有量达到56.3万辆。", "56.3万辆", "vehicles_registered"),
    ("镇里有小作坊210余家，消防隐患突出。", "210余家", "enterprises_served"),
    ("市场内经营户1.6万余家。", "1.6万余家", "enterprises_served"),
    # ---- drugs: users caught, compulsory rehabilitation, the register
    ("全年查处吸毒人员386人次，同比上升12%。", "386人次", "drug_users_caught"),
    ("强制隔离戒毒152人，责令社区戒毒64人。", "152人", "compulsory_rehab"),
    ("强制隔离戒毒152人，责令社区戒毒64人。", "64人", "compulsory_rehab"),
    ("全县登记在册吸毒人员2310名。", "2310名", "registered_drug_users"),
    # ---- equipment and volunteers
    ("为各派出所配备警用摩托车36辆。", "36辆", "equipment"),
    ("组建志愿消防队员队伍，现有志愿消防队员820余名。", "820余名", "volunteers"),
    ("新建无人机起降基站6个，覆盖全部乡镇。", "6个", "drone_bases"),
    # ---- what a summer, a race or a port brings: people turned back, parking, traffic
    ("暑期民警在水库周边劝离野泳人员2100余人次。", "2100余人次", "people_dissuaded"),
    ("节日期间开辟临时停车场14处，新增停车泊位3200个。", "14处", "parking_spaces"),
    ("节日期间开辟临时停车场14处，新增停车泊位3200个。", "3200个", "parking_spaces"),
    ("景区入口日均车流量约2.4万辆次。", "约2.4万辆次", "traffic_volume"),
    ("该港去年货物吞吐量达1860万吨。", "1860万吨", "port_throughput"),
    ("本届马拉松共有参赛选手1.5万名。", "1.5万名", "event_participants"),
    ("今年以来查处违规渔船64艘，没收渔获2吨。", "64艘", "vessels_seized"),
    ("在临水临崖路段增设波形护栏38公里、警示标志650余块。", "38公里", "traffic_facilities"),
    ("在临水临崖路段增设波形护栏38公里、警示标志650余块。", "650余块", "traffic_facilities"),
    ("辖区县乡道路1850余公里，弯多坡陡。", "1850余公里", "coastline_length"),
    ("全镇有渔民8600余人。", "8600余人", "population"),
    ("全县聘请生态护林员960名。", "960名", "volunteers"),
    ("组建半专业森林消防队12支。", "12支", "fire_resources"),
    ("在渔港码头设立驻港警务点6个。", "6个", "service_points"),
    ("检查中对不符合条件的场所责令停产停业37家。", "37家", "fire_enforcement"),
    ("专案组缴获被盗摩托车320余辆。", "320余辆", "items_seized"),
    # ---- services, helpers, phones, people abroad, recoveries, unlicensed cabs
    ("开展消防技能培训86期，受训员工1.2万人次。", "1.2万人次", "fire_training"),
    ("节日期间民警为游客提供指路、寻物等服务460余次。", "460余次", "assistance"),
    ("全县共选聘村级警务助理312名。", "312名", "volunteers"),
    ("为社区民警配发执法手机140部。", "140部", "equipment"),
    ("为独居老人安装一键通报警电话900部。", "900部", "equipment"),
    ("旅居海外的华侨华人有12万多名。", "12万多名", "population"),
    ("全年追缴赃款赃物价值3100余万元。", "3100余万元", "stolen_goods_recovered"),
    ("半年来共查扣“黑车”620辆。", "620辆", "traffic_violations"),
    ("全市出租车运力仅2400余辆。", "2400余辆", "vehicles_registered"),
    ("清理整治群租房1300余户。", "1300余户", "premises_checked"),
    ("全县已创成“无诈村社”96个。", "96个", "fraud_free_places"),
    ("村村响广播累计播放反诈提示2.1万余次。", "2.1万余次", "outreach_events"),
    ("节日期间在主要路口布设交通管制点18处。", "18处", "checkpoints"),
    ("大队在各景区出入口增设执勤岗24个，实行全天值守。", "24个", "checkpoints"),
    ("盘查可疑人员2300余人。", "2300余人", "people_checked"),
    # ---- drones
    ("无人机巡航1200余架次。", "1200余架次", "drone_flights"),
    ("今年无人机累计航拍860小时。", "860小时", "drone_flights"),
    # ---- outreach
    ("发送反诈宣传短信120万条。", "120万条", "messages_sent"),
    ("发布反诈短视频300余条。", "300余条", "media_posts"),
    ("群众反诈知晓率达92%。", "92%", "awareness_rate"),
    # ---- services, rates, satisfaction, shares
    ("全年共办理户籍业务4.6万件。", "4.6万件", "admin_services"),
    ("受理出入境证件申请2.3万本。", "2.3万本", "admin_services"),
    ("110报警电话及时接通率达99.8%。", "99.8%", "call_answer_rate"),
    ("街面见警率达85%。", "85%", "police_visibility_rate"),
    ("群众安全感达99.1%。", "99.1%", "satisfaction_rate"),
    ("电诈警情占刑事警情的46.2%。", "46.2%", "fraud_cases_share"),
    # ---- second wordings for the thinner kinds
    ("全年咨询类警情共计9800余起。", "9800余起", "enquiry_calls"),
    ("全年恶意骚扰、重复拨打等无效警情下降至1200起。", "1200起", "invalid_calls"),
    ("全市破获食药环领域犯罪案件43起。", "43起", "food_drug_cases"),
    ("对严重违法驾驶人吊销机动车驾驶证86本。", "86本", "licences_revoked"),
    ("全市摩托车驾乘人员安全头盔佩戴率达95.2%。", "95.2%", "helmet_rate"),
    ("卡口民警核查人员1.6万人次。", "1.6万人次", "people_checked"),
    ("向辖区群众推送反诈提示短信46万条。", "46万条", "messages_sent"),
    ("制作发布警情通报及宣传推文180余条。", "180余条", "media_posts"),
    ("全市中小学生防溺水知晓率达98%。", "98%", "awareness_rate"),
    ("全市110报警按时到场率99.2%。", "99.2%", "call_answer_rate"),
    ("群众对社会治安见警率和管事率达96.5%。", "96.5%", "police_visibility_rate"),
    ("社区划分微网格1260个，实现网格全覆盖。", "1260个", "grids"),
    ("帮信案件同比下降27%，侵犯公民个人信息案件下降12%。", "27%", "cyber_crime_cases_change"),
    ("全市收缴烟花爆竹560箱。", "560箱", "weapons_seized"),
    ("民警快速出警，协助找回走失人员213人。", "213人", "people_rescued"),
    ("辖区已连续500天零警情。", "500天", "zero_incident_days"),
    ("全年共完成警卫任务23次。", "23次", "security_missions"),
    ("发现并移交违法犯罪线索126条。", "126条", "leads_found"),
    ("全市共查扣赃车18辆。", "18辆", "items_seized"),
    ("全市公安机关为群众办理居住证3.2万张。", "3.2万张", "admin_services"),
    # ---- kinds found while reading the genre more widely
    ("全县“一村一辅警”覆盖率100%，配备驻村辅警286名。", "100%", "coverage_rate"),
    ("全市智能安防小区建成率达87.5%。", "87.5%", "coverage_rate"),
    ("县消防救援大队共扑救火灾386起，保护财产价值1.2亿元。", "1.2亿元", "fire_property_saved"),
    ("火灾扑救中抢救财产价值3600万元。", "3600万元", "fire_property_saved"),
    ("全市电动自行车登记上牌12.6万辆。", "12.6万辆", "ebike_registrations"),
    ("新增备案登记电动自行车3.2万辆。", "3.2万辆", "ebike_registrations"),
    ("清查出租房屋1.6万间，检查旅馆业286家次。", "1.6万间", "premises_checked"),
    ("清查出租房屋1.6万间，检查旅馆业286家次。", "286家次", "premises_checked"),
    ("检查娱乐场所160家次、网吧52家。", "52家", "premises_checked"),
    ("全年共排查九小场所6800家。", "6800家", "fire_inspections"),
    ("全县共发生电信网络诈骗案件1260起，造成群众财产损失5600万元。", "5600万元", "fraud_losses"),
    ("县消防救援大队全年出动消防车3200辆次、指战员1.6万人次。", "3200辆次", "rescues"),
    ("全年累计出动无人机巡查2600余架次，飞行里程3.2万公里。", "3.2万公里", "drone_flights"),
    ("全年无人机出动860架次。", "860架次", "drone_flights"),
    ("全市群众安全感满意率达98.8%，较上年提升0.6个百分点。", "0.6个百分点", "satisfaction_rate_change"),
    # ---- how a word is read in its phrase (etl/metric_of.py)
    # a catch-all head (警情) is the word before it's, unless a longer word holds it
    ("今年以来，挪车类警情占比下降至9.6%。", "9.6%", "vehicle_move_calls_share"),
    ("入室盗窃警情同比下降56.3%。", "56.3%", "theft_incidents_change"),
    # a word said of the figure before it belongs to that figure (死亡 to the 126)
    ("全年发生道路交通事故860起，造成126人死亡、698人受伤。", "698人", "traffic_injuries"),
    ("全年发生道路交通事故860起，造成126人死亡、698人受伤。", "126人", "traffic_deaths"),
    # the field word may open a long clause: 火灾 still says whose 受伤 it is
    ("今年以来全市火灾形势在市委市政府的坚强领导下经过各部门和社会各界的共同努力以及广大群众的"
     "积极配合总体持续平稳向好呈现出稳中有降的良好态势，受伤人数同比下降13.6%。", "13.6%",
     "fire_casualties_change"),
    ("全省共发生火灾2.1万起，亡42人，伤36人，直接财产损失1.2亿元。", "36人", "fire_casualties"),
    ("全省共发生火灾2.1万起，亡42人，伤36人，直接财产损失1.2亿元。", "42人", "fire_casualties"),
    # a noun for what was counted is no compound head: 走访|群众 is a visit count
    ("社区民警共走访群众8.6万人次，化解纠纷1200起。", "8.6万人次", "visits"),
    ("民警共走访群众8.6万人次。", "8.6万人次", "visits"),
    # money frozen, stopped or returned is money recovered, whatever noun follows the verb
    ("冻结资金3200万元。", "3200万元", "fraud_losses_recovered"),
    ("全年拦截涉诈资金1.6亿元。", "1.6亿元", "fraud_losses_recovered"),
    ("筛查手机3200部，缴获手机56部。", "3200部", "devices_screened"),
    ("筛查手机3200部，缴获手机56部。", "56部", "items_seized"),
    ("拦截诈骗电话和短信3.2万条。", "3.2万条", "fraud_interceptions"),
    ("当地派出所民警上门劝阻1860人次，成功避免1200余名群众被骗。", "1200余名", "fraud_interceptions"),
    # ---- streaks of a result: zero incidents, every homicide solved
    ("该局连续13年命案全破。", "13年", "homicide_clearance_streak"),
    ("全市现行命案连续12年全部告破。", "12年", "homicide_clearance_streak"),
    ("全县连续五年保持命案全破。", "五年", "homicide_clearance_streak"),
    ("全县已连续8年未发生命案。", "8年", "zero_incident_days"),
    ("全市连续62个月实现“零命案”。", "62个月", "zero_incident_days"),
    # ---- a streak counted in months is a streak too; the sentence's field says whose fall
    ("城区盗窃警情已连续7个月下降。", "7个月", "decline_streak"),
    ("全镇刑事案件发案连续十个月同比下降。", "十个月", "decline_streak"),
    ("该县持续打击电诈，涉诈立案数同比下降22%，已连续6个季度同比下降。", "6个季度", "fraud_decline_streak"),
    ("全区网络诈骗立案214起，同比下降19%，发案数连续9个月同比下降。", "9个月", "fraud_decline_streak"),
    ("今年破获诈骗案件93起，电诈发案量连续四年下降。", "四年", "fraud_decline_streak"),
    ("该社区已连续20个月无“两抢”案件。", "20个月", "zero_incident_days"),
    ("景区周边连续两年无“黄牛”扰序警情。", "两年", "zero_incident_days"),
    ("该镇连续8个季度零发案。", "8个季度", "zero_incident_days"),
    ("辖区连续3年实现刑事案件零发案。", "3年", "zero_incident_days"),
    # ---- a fire brigade's people, trucks, hydrants and training are fire safety
    ("县消防救援大队现有消防员96名、消防车14辆。", "96名", "fire_resources"),
    ("县消防救援大队现有消防员96名、消防车14辆。", "14辆", "fire_resources"),
    ("全县新增市政消火栓320个。", "320个", "fire_resources"),
    ("开展消防安全培训52场，培训企业员工8600余人次。", "52场", "fire_training"),
    ("开展消防安全培训52场，培训企业员工8600余人次。", "8600余人次", "fire_training"),
    ("组织民警开展业务培训36期。", "36期", "lectures"),
    # ---- mediation rooms and bodies are the disputes field
    ("全县派出所设立驻所调解室21个。", "21个", "mediation_rooms"),
    ("全区共有人民调解委员会186个。", "186个", "mediation_rooms"),
    # ---- victims found or paid back, card sellers punished: anti-fraud
    ("民警发现并见面提醒疑似被骗人员85名。", "85名", "fraud_interceptions"),
    ("为1200余名受害群众返还被骗资金3600万元。", "1200余名", "fraud_interceptions"),
    ("对“两卡”违法人员实施联合惩戒460人。", "460人", "fraud_cards"),
    ("台风期间转移危险区域群众1.6万人。", "1.6万人", "rescues"),
    ("窗口接待群众来访2300余人次。", "2300余人次", "assistance"),
    # ---- a field word before a semicolon still says whose 死亡 it is
    ("全省共接报火灾1.3万起，同比下降6%；死亡31人，受伤27人。", "31人", "fire_casualties"),
    ("全省共接报火灾1.3万起，同比下降6%；死亡31人，受伤27人。", "27人", "fire_casualties"),
    # ---- how long officers took to deal with a call (处警时长)
    ("去年该局民警平均处警时长缩短至38分钟。", "38分钟", "response_time"),
    ("城区派出所处警用时平均为12分钟。", "12分钟", "response_time"),
    # ---- overload checkpoints on mining and freight roads are checkpoints
    ("县交警大队在省道沿线建成超限检测站3个。", "3个", "checkpoints"),
    ("今年新设治超站4处，实行全天候查控。", "4处", "checkpoints"),
    # ---- traffic posts (疏导岗, 劝导岗) are the traffic field's stations
    ("春节期间，交警在景区入口设置交通疏导岗18个。", "18个", "persuasion_stations"),
    ("各乡镇共设立农村交通劝导岗230个。", "230个", "persuasion_stations"),
    # ---- camera checkpoints are equipment, not manned checkpoints
    ("全市新增高清卡口126处，覆盖所有出城道路。", "126处", "equipment"),
    ("今年在城乡接合部安装电子警察卡口58套。", "58套", "equipment"),
    # ---- people checked (核查) at checkpoints; items screened (安检); drug plants; boats in
    ("检查站累计核查过往车辆3.1万辆次、人员5.6万人次。", "5.6万人次", "people_checked"),
    ("地铁站口共安检包裹12万余件。", "12万余件", "security_screenings"),
    ("博览会期间，民警安检物品38万件。", "38万件", "security_screenings"),
    ("禁毒大队在山区踏查时铲除罂粟860株。", "860株", "drug_plants_eradicated"),
    ("今年共发现并铲除非法种植的大麻1200余棵。", "1200余棵", "drug_plants_eradicated"),
    ("台风来临前，沿海派出所组织渔船回港避风620艘。", "620艘", "boats_returned"),
    ("海警和边防民警督促进港避风船只1300余艘。", "1300余艘", "boats_returned"),
    # ---- a fire brigade's training of the public and its inspection staff are fire work
    ("县消防救援大队深入企业开展培训96场，培训员工4200人次。", "4200人次", "fire_training"),
    ("消防部门进社区培训群众7800人次。", "7800人次", "fire_training"),
    ("市消防支队共出动检查人员2300人次，检查单位1100余家。", "2300人次", "fire_resources"),
    # ---- fire hazards of mixed-use premises; overload cargo; a trade's workforce; emigrants
    ("消防大队今年共清理“三合一”场所210家。", "210家", "fire_inspections"),
    ("今年整治“三合一”场所46家，消除隐患120处。", "46家", "fire_inspections"),
    ("治超站今年共卸载超限货物1.8万吨。", "1.8万吨", "cargo_unloaded"),
    ("查处超载货车320辆次，现场卸货4100余吨。", "4100余吨", "cargo_unloaded"),
    ("全县现有快递企业86家，从业人员约3200人。", "约3200人", "population"),
    ("镇上民宿从业人员达1100余人。", "1100余人", "population"),
    ("组织培训从业人员2600人次。", "2600人次", "lectures"),
    ("该镇旅居海外乡亲有8万余人。", "8万余人", "population"),
    ("全市有海外侨胞约12万人。", "约12万人", "population"),
    # ---- the fleet and the housing stock of an area are its context; checking them is work
    ("辖区登记在册的重型货车共8600余辆。", "8600余辆", "vehicles_registered"),
    ("全市现有大货车2.1万辆，其中危化品车900辆。", "2.1万辆", "vehicles_registered"),
    ("查处超载货车460辆次。", "460辆次", "traffic_violations"),
    ("该镇现有砖木结构民房约5400幢。", "约5400幢", "dwellings_covered"),
    ("山区村落的农房有1.3万余间，多为木结构。", "1.3万余间", "dwellings_covered"),
    ("民警上门检查出租房屋320间。", "320间", "premises_checked"),
    # ---- the people counted right after a count of teams are the teams' members
    ("目前全镇平安巡逻队已有27支、410人。", "410人", "volunteers"),
    ("各村组建护村队伍15支共计230余人。", "230余人", "volunteers"),
    ("全县出动专班3支，抓获嫌疑人5名。", "5名", "arrests"),
    # ---- a quoted name ending in the first half of a compound (“邻里调解”工作室 = 调解工作室)
    ("各村设立“邻里调解”工作室26个。", "26个", "mediation_rooms"),
    ("社区里的“银发调解”工作站已有9个。", "9个", "mediation_rooms"),
    ("共设立“老娘舅”调解室14个。", "14个", "mediation_rooms"),
    ("全县组建“平安家园”巡逻队32支。", "32支", "patrol_teams"),
    # ---- villages and communities counted by what they had none of
    ("截至年底，全市已有212个村连续五年未发生刑事案件。", "212个", "zero_incident_places"),
    ("城区有38个社区全年零发案。", "38个", "zero_incident_places"),
    ("今年新创建无案村41个。", "41个", "zero_incident_places"),
    ("全县已有96个村（社区）实现全年无电诈发案。", "96个", "fraud_free_places"),
    ("该镇下辖23个村（社区），户籍人口3.1万。", "23个", "villages_covered"),
    # ---- a count of occasions (巡查…次) fits sorties (架次) only loosely
    ("无人机起飞巡查960架次。", "960架次", "drone_flights"),
    ("开展夜间巡查1860人次。", "1860人次", "patrols"),
]

#: every metric this file was written for: each must be asked for by several sentences
NEW_METRICS = {
    "valid_incidents", "help_calls", "dispute_calls", "traffic_calls", "vehicle_move_calls",
    "noise_calls", "enquiry_calls", "invalid_calls", "zero_incident_days", "homicide_cases",
    "robbery_cases", "vice_cases", "organised_crime_cases", "economic_crime_cases",
    "cyber_crime_cases", "food_drug_cases", "items_seized", "fraud_cards", "devices_screened",
    "fraud_apps_found", "antifraud_app_rate", "traffic_injuries", "traffic_losses",
    "vehicles_impounded", "licences_revoked", "traffic_hazards", "vehicles_checked",
    "helmet_rate", "fire_stations", "people_rescued", "security_missions", "leads_found",
    "risks_found", "grids", "people_checked", "messages_sent", "media_posts",
    "awareness_rate", "admin_services", "call_answer_rate", "police_visibility_rate",
    "coverage_rate", "fire_property_saved", "ebike_registrations", "premises_checked",
    "homicide_clearance_streak", "fire_resources", "fire_training", "mediation_rooms",
    "drug_plants_eradicated", "security_screenings", "boats_returned", "decline_streak",
    "fraud_decline_streak", "response_time", "persuasion_stations", "cargo_unloaded",
    "zero_incident_places",
}


@pytest.mark.parametrize("text, raw, metric", CASES, ids=[f"{c[2]}:{c[1]}" for c in CASES])
def test_genre_sentence_names_its_metric(text, raw, metric):
    _, rows = extract_text(text, "m.txt", BULLETIN, Meta())
    got = {r["raw"]: (r["metric"], r["category"]) for r in rows}
    assert raw in got, got
    assert got[raw][0] == metric, got
    assert got[raw][1] == reference.metrics()[metric].category


def test_every_new_metric_is_asked_for_by_several_sentences():
    asked: dict[str, int] = {}
    for _, _, metric in CASES:
        base = reference.metrics()[metric].base
        asked[base] = asked.get(base, 0) + 1
    thin = {m: asked.get(m, 0) for m in NEW_METRICS if asked.get(m, 0) < 2}
    assert not thin


def test_new_metrics_are_in_the_taxonomy_with_a_known_category():
    categories = {"disputes", "incidents", "cases", "arrests", "anti_fraud", "traffic", "fire",
                  "drones", "teams", "outreach", "patrol", "resources", "coverage", "satisfaction",
                  "operations", "other"}
    metrics = reference.metrics()
    assert NEW_METRICS <= set(metrics)
    assert {metrics[m].category for m in NEW_METRICS} <= categories
