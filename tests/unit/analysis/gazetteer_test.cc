#include "analysis/gazetteer.h"

#include <gtest/gtest.h>

#include <iostream>

#include "analysis/model_paths.h"

namespace yuqing::analysis {

class GazetteerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto g = Gazetteer::Load(ResolveModelsDir() + "/gazetteer.tsv");
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    g_ = std::move(g).value();
  }
  std::unique_ptr<Gazetteer> g_;
};

TEST_F(GazetteerTest, CoversProvincesAndPrefectures) {
  EXPECT_EQ(g_->provinces(), 34u);
  EXPECT_GT(g_->cities(), 330u);
}

TEST_F(GazetteerTest, CityResolvesToItsProvince) {
  Region r = g_->Resolve("浙江省宁波市海曙区今天上午发生一起交通事故", "");
  EXPECT_EQ(r.province, "浙江");
  EXPECT_EQ(r.city, "宁波");
  r = g_->Resolve("宁波的停水问题", "");
  EXPECT_EQ(r.province, "浙江");
  EXPECT_EQ(r.city, "宁波");
}

TEST_F(GazetteerTest, MunicipalityAndAutonomousPrefecture) {
  EXPECT_EQ(g_->Resolve("北京市朝阳区", "").city, "北京");
  Region r = g_->Resolve("恩施土家族苗族自治州暴雨", "");
  EXPECT_EQ(r.province, "湖北");
  EXPECT_EQ(r.city, "恩施州");
}

TEST_F(GazetteerTest, AmbiguousShortNamesNeedTheSuffix) {
  EXPECT_EQ(g_->Resolve("快递到了我就开封检查", "").city, "");
  EXPECT_EQ(g_->Resolve("开封市", "").province, "河南");
  Region r = g_->Resolve("吉林省长春市", "");
  EXPECT_EQ(r.province, "吉林");
  EXPECT_EQ(r.city, "长春");
  EXPECT_EQ(g_->Resolve("海南藏族自治州", "").province, "青海");
}

TEST_F(GazetteerTest, AuthorLocationFillsWhatTheTextLeavesOpen) {
  Region r = g_->Resolve("停水三天没人管", "浙江 宁波");
  EXPECT_EQ(r.province, "浙江");
  EXPECT_EQ(r.city, "宁波");
  r = g_->Resolve("浙江的水", "浙江 杭州");
  EXPECT_EQ(r.city, "杭州");
  r = g_->Resolve("浙江的水", "广东 深圳");  // inconsistent: the text's province wins, no city
  EXPECT_EQ(r.province, "浙江");
  EXPECT_EQ(r.city, "");
}

// Held-out check, written before the dev set's failures were looked at: realistic posts of every
// class the issue names (places, districts, person names, media brands and source lines, teams and
// products, foreign places, the author's location), with the province a labeller would give by
// /work/shared/data/labels/GUIDE.md ("" = none). Source is checked where it is the point.
struct HeldOut {
  const char* text;
  const char* location;
  const char* province;
  const char* source;  // nullptr = not checked
};

const HeldOut kHeldOut[] = {
    // Places named in the text.
    {"杭州市西湖区文三路一小区电梯困人,物业半小时才到", "", "浙江", "text"},
    {"今天下午,深圳南山区科技园附近发生一起交通事故,两人受伤", "", "广东", nullptr},
    {"#成都暴雨# 二环高架下积水严重,多辆车熄火", "", "四川", nullptr},
    {"郑州地铁5号线的事故调查报告什么时候公布?", "", "河南", nullptr},
    {"我在湖北京山县,这边停电两天了没人管", "", "湖北", nullptr},
    {"上海南站出站口排队两个小时打不到车", "", "上海", nullptr},
    {"河南南阳一养殖场发生火灾", "", "河南", nullptr},
    {"广西安全生产检查通报: 柳州一化工厂被责令停产", "", "广西", nullptr},
    {"海淀区某小学食堂饭菜发霉,家长集体投诉", "", "北京", nullptr},
    {"义乌小商品市场今天恢复营业", "", "浙江", nullptr},
    {"昆山一工厂爆炸,已造成多人伤亡", "", "江苏", nullptr},
    {"重庆渝北区一小区业主拉横幅维权", "", "重庆", nullptr},
    {"香港旺角今晚又有人聚集", "", "香港", nullptr},
    {"台北市长选举结果出炉", "", "台湾", nullptr},
    {"乌鲁木齐今天降雪,机场航班大面积延误", "", "新疆", nullptr},
    {"感谢长沙交警连夜帮我们找回孩子!", "", "湖南", nullptr},
    {"上周北京下了一场大雪,路上堵得一塌糊涂", "", "北京", nullptr},
    {"今年春节回老家河北邯郸,发现县城房价涨得离谱", "", "河北", nullptr},
    {"去年在西安旅游被宰,一碗面收了80", "", "陕西", nullptr},
    {"魔都的地铁早高峰真的太挤了", "", "上海", nullptr},
    {"羊城晚报讯 广州白云机场今日起调整部分航班", "", "广东", nullptr},
    {"吉林省吉林市丰满区一居民楼起火", "", "吉林", nullptr},
    {"大连星海广场附近一男子落水,已被救起", "", "辽宁", nullptr},
    {"通州区一工地发生坍塌,北京市应急管理局已介入", "", "北京", nullptr},
    {"南通市通州区一化工企业发生泄漏", "", "江苏", nullptr},
    {"江苏南京一男子醉驾撞上护栏", "", "江苏", nullptr},
    {"家住浙江杭州的李女士反映,小区门口的路灯坏了半年", "", "浙江", nullptr},
    {"在上海话剧艺术中心看了一场戏,演员太棒了", "", "上海", nullptr},
    {"北京航空航天大学今天发布通知,推迟开学", "", "北京", nullptr},
    {"南京路步行街人山人海,国庆第一天", "", "上海", nullptr},
    {"上海浦东新区张江一写字楼发生火灾", "", "上海", nullptr},
    {"成都一公交车自燃,无人受伤(来源:北京日报)", "", "四川", nullptr},
    {"新京报记者从广州市公安局获悉,涉案嫌疑人已被刑拘", "", "广东", nullptr},
    // Person names built on place names.
    {"小沈阳新电影票房扑街,网友吐槽太尬", "", "", nullptr},
    {"张北京说他明天不来上班了", "", "", nullptr},
    {"我同事王金华昨天辞职了,说是要回老家", "", "", nullptr},
    {"刘长春的新书签售会很成功", "", "", nullptr},
    // Media brands, source lines and handles.
    {"据北京青年报报道,多地出台新规限制电动车进楼", "", "", nullptr},
    {"(来源:四川在线)专家提醒:夏季要注意防溺水", "", "", nullptr},
    {"中国台湾网5月3日讯 国务院台办今日举行例行新闻发布会", "", "", nullptr},
    {"//@北京李海:这事必须严查 转发微博", "", "", nullptr},
    {"湖南卫视的这个综艺越来越难看了", "", "", nullptr},
    {"浙江日报评论:让城市更有温度", "", "", nullptr},
    {"人民日报:疫情防控不能松懈", "", "", nullptr},
    // Teams and products.
    {"北京国安主场2比1逆转广州恒大,球迷沸腾", "", "", nullptr},
    {"上海申花又输了,主教练赶紧下课吧", "", "", nullptr},
    {"青岛啤酒涨价了,还是喝雪花吧", "", "", nullptr},
    {"辽宁队夺得CBA总冠军!", "", "", nullptr},
    {"楼下新开的兰州拉面店味道不错", "", "", nullptr},
    {"广东话真的好难学啊", "", "", nullptr},
    {"贵州茅台股价再创新高", "", "", nullptr},
    {"海南航空一航班因机械故障返航", "", "", nullptr},
    {"哈密瓜今年特别甜,十块钱三斤", "", "", nullptr},
    {"大理石台面裂了,商家不给退", "", "", nullptr},
    {"莆田系医院又出事了,虚假宣传坑患者", "", "", nullptr},
    // Foreign places: null, and no fallback to the author's location.
    {"北京时间今晨,日本东京发生6.2级地震", "", "", nullptr},
    {"悉尼的房价又涨了,澳大利亚年轻人买不起房", "浙江 杭州", "", ""},
    {"马来西亚吉隆坡一商场发生枪击案", "广东 广州", "", ""},
    {"美国德州一小学发生枪击案,已致19名学生死亡", "", "", nullptr},
    {"日本福岛核污水排海,韩国民众抗议", "山东 青岛", "", ""},
    {"中国驻日本大使馆提醒在日同胞注意台风", "", "", nullptr},
    {"北海道的雪太美了,明年还要去", "", "", nullptr},
    {"巴黎圣母院大火,法国总统发表讲话", "", "", nullptr},
    // The author's location, only as a labelled fallback.
    {"停水三天了,到底有没有人管?", "广东 深圳", "广东", "author"},
    {"今天天气真好", "", "", ""},
    {"杭州的地铁太挤了", "北京", "浙江", "text"},
    // Ambiguous short names and common words.
    {"朝阳区一小区停电,物业说要等到明天", "", "", nullptr},
    {"北京朝阳区一小区停电", "", "北京", nullptr},
    {"吉林今年粮食产量创新高", "", "吉林", nullptr},
    {"快递开封后发现是空盒", "", "", nullptr},
    {"各位来宾大家好,欢迎参加本次活动", "", "", nullptr},
    {"祝愿祖国长治久安,繁荣昌盛", "", "", nullptr},
    {"四平八稳地过完了这一年", "", "", nullptr},
};

TEST_F(GazetteerTest, HeldOutPosts) {
  int right = 0, total = 0;
  for (const auto& h : kHeldOut) {
    Region r = g_->Resolve(h.text, h.location);
    ++total;
    bool ok = r.province == h.province && (!h.source || r.source == h.source);
    right += ok;
    EXPECT_TRUE(ok) << h.text << " | got " << r.province << "/" << r.city << " (" << r.source << "), want " << h.province;
  }
  std::cout << "held-out: " << right << "/" << total << " right\n";
}

TEST_F(GazetteerTest, CheckInAndViaAreNotTheText) {
  EXPECT_EQ(g_->Resolve("今天的晚霞真美 2杭州·滨江区", "").province, "");
  EXPECT_EQ(g_->Resolve("全世界都在加油 2泉州 收起全文d", "").province, "");
  EXPECT_EQ(g_->Resolve("今天早上 2辆车在杭州绕城高速上相撞,堵了一个小时", "").province, "浙江");
  EXPECT_EQ(g_->Resolve("送餐超时被扣了五十 via 北京吃喝玩乐", "").province, "");
  Region r = g_->Resolve("今天的晚霞真美 2杭州", "浙江 杭州");
  EXPECT_EQ(r.province, "浙江");
  EXPECT_EQ(r.source, "author");
}

TEST_F(GazetteerTest, TopicsStuckOntoAnotherPostDoNotCount) {
  EXPECT_EQ(g_->Resolve("#杭州新增确诊病例# 男人不要问她的过去,时机到了她会毫无保留地告诉你,她要是想见从前那位就让她去,这才是成熟的爱情", "")
                .province,
            "");
  EXPECT_EQ(g_->Resolve("#成都暴雨# 积水到膝盖了", "").province, "四川");
  EXPECT_EQ(g_->Resolve("#杭州新增确诊病例# 杭州的朋友们出门一定要戴好口罩,不要去人多的地方,有症状及时去发热门诊", "").province,
            "浙江");
}

TEST_F(GazetteerTest, ListsOriginsAndDestinations) {
  EXPECT_EQ(g_->Resolve("北京、上海、广州、成都四地同步开展专项检查", "").province, "");
  EXPECT_EQ(g_->Resolve("河南籍男子在深圳打工被欠薪三个月", "").province, "广东");
  EXPECT_EQ(g_->Resolve("上海医疗队今日驰援武汉", "").province, "湖北");
  EXPECT_EQ(g_->Resolve("东海舰队徐州号护卫舰完成演练", "").province, "");
}

// A second held-out batch, written after the dev work and run once as written: its figure is the
// honest one. Misses are printed, not failed; the test holds a floor.
const HeldOut kHeldOut2[] = {
    {"【突发】今晨6时许,贵阳市观山湖区一在建工地塔吊倒塌,事故造成2人死亡", "", "贵州", nullptr},
    {"求助!我家在河北保定涿州,房子被淹了,到现在还没人来救援", "", "河北", nullptr},
    {"@平安南京 你好,我在鼓楼区被电动车撞了,对方跑了", "", "", nullptr},
    {"转发微博", "", "", nullptr},
    {"福建泉州一酒店坍塌,71人被困", "", "福建", nullptr},
    {"云南大理洱海边的民宿被要求拆除,店主们聚集讨说法", "", "云南", nullptr},
    {"西安一奔驰女车主坐在引擎盖上哭诉维权", "", "陕西", nullptr},
    {"四川在线讯 雅安芦山发生7.0级地震", "", "四川", nullptr},
    {"据央视新闻报道,澳大利亚山火已持续数月", "", "", nullptr},
    {"好想去日本看樱花啊,可惜没钱", "", "", nullptr},
    {"我们小区(济南历下区)物业费又涨了,业主群炸锅了", "", "山东", nullptr},
    {"这家兰州拉面的老板是青海化隆人", "", "", nullptr},
    {"天津港爆炸事故遇难者名单公布", "", "天津", nullptr},
    {"北京大学教授:年轻人要多读书", "", "", nullptr},
    {"广州地铁3号线今早故障,乘客被困40分钟", "", "广东", nullptr},
    {"湖南长沙一男子高空抛物被拘留", "", "湖南", nullptr},
    {"山东省教育厅回应'高考冒名顶替'事件", "", "山东", nullptr},
    {"美国加州山火蔓延,数万人撤离", "", "", nullptr},
    {"小区门口的重庆小面馆关门了", "", "", nullptr},
    {"今天在朋友圈看到老家安徽阜阳发洪水了,心都揪起来了", "", "安徽", nullptr},
    {"新疆棉事件后,H&M在中国的门店纷纷关闭", "", "", nullptr},
    {"东北的冬天太冷了,零下三十度", "", "", nullptr},
    {"沈阳的朋友们注意了,明天起地铁1号线停运检修", "", "辽宁", nullptr},
    {"宁波舟山港吞吐量再创新高", "", "浙江", nullptr},
    {"重庆籍男子在云南丽江旅游时被打", "", "云南", nullptr},
};

TEST_F(GazetteerTest, HeldOutPostsSecondBatch) {
  int right = 0, total = 0;
  for (const auto& h : kHeldOut2) {
    Region r = g_->Resolve(h.text, h.location);
    ++total;
    if (r.province == h.province) ++right;
    else std::cout << "miss: " << h.text << " | got " << r.province << ", want " << h.province << "\n";
  }
  std::cout << "held-out batch 2: " << right << "/" << total << " right\n";
  EXPECT_GE(right * 100, total * 92);  // 23/25 when first run; misses: origin only, affiliation
}

TEST(GazetteerParseTest, RejectsMalformedLines) {
  EXPECT_FALSE(Gazetteer::Parse("浙江\t浙江省\n").ok());
  EXPECT_FALSE(Gazetteer::Parse("# only comments\n").ok());
}

}  // namespace yuqing::analysis
