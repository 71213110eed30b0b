#include "cli/cli_text.h"

#include <cstdlib>
#include <iostream>
#include <regex>
#include <utility>
#include <vector>

namespace yuqing::cli {
namespace {

// Terminal columns of UTF-8 text: two for a character of three or more bytes (CJK), else one.
size_t DisplayWidth(const std::string& s) {
  size_t w = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += len >= 3 ? 2 : 1;
    i += len;
  }
  return w;
}

// CLI11's labels and type names in Chinese. The type names come with the validators'
// descriptions ("UINT:INT in [1 - 64]", "TEXT:{zh,en}"), so they are rewritten word by word.
class ZhFormatter : public CLI::Formatter {
 public:
  ZhFormatter() {
    label("Usage", "用法");
    label("OPTIONS", "选项");
    label("SUBCOMMAND", "子命令");
    label("SUBCOMMANDS", "子命令");
    label("Positionals", "位置参数");
    label("REQUIRED", "必需");
    label("Env", "环境变量");
    label("Needs", "需要");
    label("Excludes", "不能同时使用");
    column_width(30);
  }

  std::string make_option_opts(const CLI::Option* opt) const override {
    static const std::pair<std::regex, const char*> kWords[] = {
        {std::regex(R"(\bTEXT\b)"), "文本"},   {std::regex(R"(\bU?INT\b)"), "整数"},
        {std::regex(R"(\bFLOAT\b)"), "数值"},  {std::regex(R"(\bFILE\b)"), "文件"},
        {std::regex(R"(\bDIR\b)"), "目录"},    {std::regex(R"(\bPATH\(existing\))"), "已有路径"},
        {std::regex(R"( in \[)"), " 范围 ["}, {std::regex(R"(\bREQUIRED\b)"), "必需"},
        {std::regex("整数:整数"), "整数"}};
    std::string s = CLI::Formatter::make_option_opts(opt);
    for (const auto& [re, zh] : kWords) s = std::regex_replace(s, re, zh);
    return s;
  }

  // CLI11 pads the left column by bytes; a Chinese type name (3 bytes, 2 columns a character)
  // would push the descriptions out of line, so pad by display width.
  std::string make_option(const CLI::Option* opt, bool is_positional) const override {
    std::string out = "  " + make_option_name(opt, is_positional) + make_option_opts(opt);
    const std::string desc = make_option_desc(opt);
    const size_t width = DisplayWidth(out), col = get_column_width();
    if (!desc.empty()) {
      out += width >= col ? "\n" + std::string(col, ' ') : std::string(col - width, ' ');
      for (char c : desc) {
        out += c;
        if (c == '\n') out += std::string(col, ' ');
      }
    }
    return out + "\n";
  }

  // Without CLI11's English notes on required option counts: no command of ours sets them.
  std::string make_description(const CLI::App* app) const override {
    std::string desc = app->get_description();
    return desc.empty() ? std::string() : desc + "\n";
  }
};

// The subcommand the user was typing when parsing failed: "yuqing alerts ack".
std::string CommandPath(const CLI::App& app) {
  std::string path = "yuqing";
  const CLI::App* cur = &app;
  while (true) {
    auto subs = cur->get_subcommands();
    if (subs.empty()) break;
    cur = subs.back();
    path += " " + cur->get_name();
  }
  return path;
}

// A validator's message about NAME's value, in Chinese.
std::string ValidationZh(const std::string& name, const std::string& msg) {
  std::smatch m;
  if (std::regex_match(msg, m, std::regex(R"((.*) not in (\{.*\}))")))
    return name + " 的值 " + m[1].str() + " 不在可选范围内，可选: " + m[2].str();
  if (std::regex_match(msg, m, std::regex(R"(Value (.*) not in range (\S+) to (\S+))"))) {
    const std::string range = m[2].str() + " 到 " + m[3].str();
    if (!std::regex_match(m[1].str(), std::regex(R"(-?[0-9.]+)")))
      return name + " 的值 " + m[1].str() + " 不是数字（应为 " + range + "）";
    return name + " 的值 " + m[1].str() + " 超出范围（" + range + "）";
  }
  if (std::regex_match(msg, m, std::regex(R"(Value (.*) could not be converted.*)")))
    return name + " 的值 " + m[1].str() + " 格式不对";
  if (std::regex_match(msg, m, std::regex(R"(File does not exist: (.*))"))) return "文件不存在: " + m[1].str();
  if (std::regex_match(msg, m, std::regex(R"(File is actually a directory: (.*))")))
    return "这是目录，不是文件: " + m[1].str();
  if (std::regex_match(msg, m, std::regex(R"(Directory does not exist: (.*))"))) return "目录不存在: " + m[1].str();
  if (std::regex_match(msg, m, std::regex(R"(Directory is actually a file: (.*))")))
    return "这是文件，不是目录: " + m[1].str();
  if (std::regex_match(msg, m, std::regex(R"(Path does not exist: (.*))"))) return "路径不存在: " + m[1].str();
  return name + " 的值无效（" + msg + "）";
}

// CLI11's English message rewritten in Chinese by error type; the option names and values are
// taken from the English text, whose shapes CLI11 fixes in Error.hpp.
std::string ParseErrorZh(const CLI::ParseError& e) {
  // By class, not e.get_name(): some errors carry the subcommand's name there.
  const std::string type = dynamic_cast<const CLI::RequiredError*>(&e)      ? "RequiredError"
                           : dynamic_cast<const CLI::ExtrasError*>(&e)      ? "ExtrasError"
                           : dynamic_cast<const CLI::ValidationError*>(&e)  ? "ValidationError"
                           : dynamic_cast<const CLI::ConversionError*>(&e)  ? "ConversionError"
                           : dynamic_cast<const CLI::ArgumentMismatch*>(&e) ? "ArgumentMismatch"
                           : dynamic_cast<const CLI::RequiresError*>(&e)    ? "RequiresError"
                           : dynamic_cast<const CLI::ExcludesError*>(&e)    ? "ExcludesError"
                           : dynamic_cast<const CLI::InvalidError*>(&e)     ? "InvalidError"
                           : dynamic_cast<const CLI::FileError*>(&e)        ? "FileError"
                                                                            : "";
  const std::string what = e.what();
  std::smatch m;
  if (type == "RequiredError") {
    if (what == "A subcommand is required" || what == "A subcommand") return "缺少子命令";
    if (std::regex_match(what, m, std::regex(R"(Requires at least (\d+) subcommands)")))
      return "至少需要 " + m[1].str() + " 个子命令";
    if (std::regex_match(what, m, std::regex(R"(Exactly 1 option from \[(.*)\].*)")))
      return "以下选项须给出且只给出一个: " + m[1].str();
    if (std::regex_match(what, m, std::regex(R"(At least 1 option from \[(.*)\].*)")))
      return "以下选项至少给出一个: " + m[1].str();
    if (std::regex_match(what, m, std::regex(R"((.*) is required)"))) return "缺少必需的参数 " + m[1].str();
    return "缺少必需的参数（" + what + "）";
  }
  if (type == "ExtrasError") {
    if (std::regex_match(what, m, std::regex(R"(The following arguments? (?:was|were) not expected: (.*))")))
      return "无法识别的参数: " + m[1].str();
    return "无法识别的参数（" + what + "）";
  }
  if (type == "ValidationError") {
    // "NAME: MSG"; a bare MSG when a validator threw by itself.
    if (std::regex_match(what, m, std::regex(R"((-[^:\s]*|[A-Za-z_][\w-]*): (.*))")))
      return ValidationZh(m[1].str(), m[2].str());
    return ValidationZh("参数", what);
  }
  if (type == "ConversionError") {
    if (std::regex_match(what, m, std::regex(R"(Could not convert: (.*) = (.*))")))
      return m[1].str() + " 的值 " + m[2].str() + " 格式不对";
    if (std::regex_match(what, m, std::regex(R"(The value (.*) is not an allowed value for (.*))")))
      return m[2].str() + " 不接受值 " + m[1].str();
    if (std::regex_match(what, m, std::regex(R"((.*): too many inputs for a flag)")))
      return m[1].str() + " 是开关，不带取值";
    if (std::regex_match(what, m, std::regex(R"((.*): Should be true/false or a number)")))
      return m[1].str() + " 的值应为 true/false 或数字";
    return "参数值格式不对（" + what + "）";
  }
  if (type == "ArgumentMismatch") {
    if (std::regex_match(what, m, std::regex(R"(Expected exactly (\d+) arguments to (.*), got (\d+))")))
      return m[2].str() + " 需要 " + m[1].str() + " 个值，实际给了 " + m[3].str() + " 个";
    if (std::regex_match(what, m, std::regex(R"(Expected at least (\d+) arguments to (.*), got (\d+))")))
      return m[2].str() + " 至少需要 " + m[1].str() + " 个值，实际给了 " + m[3].str() + " 个";
    if (std::regex_match(what, m, std::regex(R"((.*): At least (\d+) required but received (\d+))")))
      return m[1].str() + " 至少需要 " + m[2].str() + " 个值，实际给了 " + m[3].str() + " 个";
    if (std::regex_match(what, m, std::regex(R"((.*): At Most (\d+) required but received (\d+))")))
      return m[1].str() + " 最多接受 " + m[2].str() + " 个值，实际给了 " + m[3].str() + " 个";
    if (std::regex_match(what, m, std::regex(R"((.*): (\d+) required .* missing)")))
      return m[1].str() + " 缺少取值";
    if (std::regex_match(what, m, std::regex(R"((.*) was given a disallowed flag override)")))
      return m[1].str() + " 是开关，不带取值";
    return "参数个数不对（" + what + "）";
  }
  if (type == "RequiresError") {
    if (std::regex_match(what, m, std::regex(R"((.*) requires (.*))")))
      return m[1].str() + " 需要同时给出 " + m[2].str();
  }
  if (type == "ExcludesError") {
    if (std::regex_match(what, m, std::regex(R"((.*) excludes (.*))")))
      return m[1].str() + " 不能与 " + m[2].str() + " 同时使用";
  }
  if (type == "InvalidError") {
    if (std::regex_match(what, m, std::regex(R"((.*): Too many positional arguments.*)")))
      return "位置参数过多: " + m[1].str();
  }
  if (type == "FileError") {
    if (std::regex_match(what, m, std::regex(R"((.*) was not readable \(missing\?\))")))
      return "无法读取文件 " + m[1].str();
  }
  return "命令行参数有误（" + what + "）";
}

// Messages of the lower layers (store/, notify/, incident/, core/) that CLI users meet most,
// in Chinese. The libraries keep one language (their messages go to logs and the API too); the
// CLI maps these at its boundary and lets the rare ones through as they are.
struct Known {
  std::regex re;
  const char* zh;  // regex_replace format: $1, $2 ...
};

const std::vector<Known>& KnownMessages() {
  static const std::vector<Known> k = [] {
    const std::pair<const char*, const char*> rows[] = {
        {R"(no department '(.*)' \(add it first: yuqing departments add\))",
         "没有部门“$1”（请先添加: yuqing departments add）"},
        {R"(department '(.*)' exists)", "部门“$1”已存在"},
        {R"(channel: must be webhook, wecom, dingtalk, feishu or email)",
         "channel（渠道）应为 webhook、wecom（企业微信）、dingtalk（钉钉）、feishu（飞书）或 email（邮件）"},
        {R"(a department needs a name \(<= 200 bytes\))", "部门名称不能为空（最多 200 字节）"},
        {R"(no alert (.*))", "找不到预警 $1"},
        {R"(no incident (.*))", "找不到危机事件（处置） $1"},
        {R"(no event (.*))", "找不到事件 $1"},
        {R"(no task (.*))", "找不到任务 $1"},
        {R"(no statement (.*))", "找不到口径 $1"},
        {R"(no commitment (.*))", "找不到承诺 $1"},
        {R"(no contact (.*))", "找不到联系人 $1"},
        {R"(no user (.*))", "找不到用户 $1"},
        {R"(no token (.*))", "找不到令牌 $1"},
        {R"(no clarification (.*))", "找不到辟谣记录 $1"},
        {R"(no talking point (.*))", "找不到口径库条目 $1"},
        {R"(no comment (.*))", "找不到审核意见 $1"},
        {R"(no plan (.*))", "找不到预案 $1"},
        {R"(no scheme with id (.*))", "找不到编号为 $1 的方案"},
        {R"(no scheme '(.*)')", "找不到方案“$1”"},
        {R"(no post with id (.*))", "找不到编号为 $1 的帖子"},
        {R"(user '(.*)' already exists)", "用户“$1”已存在"},
        {R"(a scheme named '(.*)' already exists)", "已有名为“$1”的方案"},
        {R"(a scheme needs a name)", "方案名称不能为空"},
        {R"(alert (\d+) is already resolved)", "预警 $1 已解除"},
        {R"(incident (\d+) is already level (.*))", "危机事件 $1 已是 $2 级"},
        {R"(incident (\d+) is (\w+); it cannot go to (\w+) \(it is finished\))",
         "危机事件 $1 当前为 $2，不能转到 $3（已结束）"},
        {R"(incident (\d+) is (\w+); it cannot go to (\w+) \(next is (\w+)\))",
         "危机事件 $1 当前为 $2，不能转到 $3（下一步是 $4）"},
        {R"(incident (\d+) cannot close: publish a statement first, or record a decision not to respond .*)",
         "危机事件 $1 不能结案: 请先发布口径，或登记不予回应的决定（incidents close --no-response 理由）"},
        {R"(incident (\d+) is (\w+))", "危机事件 $1 当前为 $2"},
        {R"(statement (\d+) has errors from the check; .*)",
         "口径 $1 审查有错误: 请修改，或写明理由后批准（--override 理由）"},
        {R"(statement (\d+) is draft; approve it first)", "口径 $1 还是草稿，请先审批"},
        {R"(statement (\d+) is (\w+))", "口径 $1 当前为 $2"},
        {R"(task (\d+) is already (\w+))", "任务 $1 已是 $2"},
        {R"(commitment (\d+) is already kept)", "承诺 $1 已兑现"},
        {R"(talking point (\d+) is already (\w+))", "口径库条目 $1 已是 $2"},
        {R"(level: '(.*)' is not I, II, III or IV)", "级别“$1”无效，应为 I、II、III 或 IV"},
        {R"(type: unknown incident type '(.*)')", "未知的危机事件类型“$1”"},
        {R"((?:team|role): unknown role '(.*)')", "未知的角色“$1”"},
        {R"(title: missing)", "缺少标题"},
        {R"(person: missing)", "缺少人员"},
        {R"(reason: a decision not to respond needs its reason)", "不予回应的决定须写明理由"},
        {R"(reason: a level change needs its reason)", "调整级别须写明理由"},
        {R"(channel: missing \(e.g. weibo, website, press\))", "缺少发布渠道（如 weibo、website、press）"},
        {R"(evidence: give the URL \(or reference\) showing the promise was kept)",
         "请给出证明承诺已兑现的网址（或出处）"},
        {R"(kind: '(.*)' is not media, public or internal)", "沟通对象“$1”无效，应为 media、public 或 internal"},
        {R"(kind: '(.*)' is not alert, event, scheme, post or department)",
         "关联类型“$1”无效，应为 alert、event、scheme、post 或 department"},
        {R"((?:previous|statement): (?:statement )?(\d+) belongs to another incident)", "口径 $1 属于另一个危机事件"},
        {R"(claim: missing)", "缺少不实说法"},
        {R"(text: the comment is empty)", "意见内容为空"},
        {R"(topic: missing or too long)", "主题为空或过长"},
        {R"(answer: missing)", "缺少答复内容"},
        {R"(the statement is empty)", "口径正文为空"},
        {R"(channel must be webhook, wecom, dingtalk, feishu or email)",
         "渠道应为 webhook、wecom、dingtalk、feishu 或 email"},
        {R"(not an e-mail address: (.*))", "不是有效的邮箱地址: $1"},
        {R"(target must be an http\(s\) URL: (.*))", "目标应为 http(s) URL: $1"},
        {R"(URL contains spaces)", "URL 中有空格"},
        {R"(target too long)", "目标地址过长"},
        {R"(user name must be 1-64 bytes of letters, digits, '.', '_' or '-')",
         "用户名应为 1–64 字节的字母、数字、“.”、“_”或“-”"},
        {R"(role must be admin, analyst, responder or viewer)", "角色应为 admin、analyst、responder 或 viewer"},
        {R"(empty time)", "时间为空"},
        {R"(unix time out of range: (.*))", "Unix 时间超出范围: $1"},
        {R"(bad time '(.*)': .*)", "无法识别的时间“$1”（应为 ISO 8601，如 2024-05-01T08:00:00+08:00）"},
        {R"(bad duration '(.*)': .*)", "无法识别的时长“$1”（应如 30s、5m、2h、7d）"},
        {R"(bad duration unit '(.*)': .*)", "时长单位“$1”无效（可用 ms、s、m、h、d 或 w）"},
        {R"(duration too large: (.*))", "时长过大: $1"},
        {R"(unknown format '(.*)': .*)", "未知格式“$1”（可用 auto、jsonl、json、csv、rss 或 atom）"},
        {R"(unknown encoding '(.*)': .*)", "未知编码“$1”（可用 auto、utf-8 或 gbk）"},
        {R"(bad encoding: not valid UTF-8 \(try --encoding gbk\))", "编码有误: 不是有效的 UTF-8（试试 --encoding gbk）"},
        {R"(cannot tell the platform of (.*): .*)",
         "无法判断 $1 属于哪个平台：请保留 MediaCrawler 的目录（data/weibo/jsonl/…），或用 --source weibo|xhs|douyin|kuaishou|bilibili|zhihu|tieba 指定"},
        {R"(--source (.*) is not a MediaCrawler platform: .*)",
         "--source $1 不是 MediaCrawler 的平台（可用 weibo、xhs、douyin、kuaishou、bilibili、zhihu、tieba）"},
        {R"(column '(.*)' of the mapping is not in (.*) \(its columns: (.*)\))", "映射文件中的列“$1”不在 $2 中（已有的列：$3）"},
        {R"((.*): mapping: (.*))", "映射文件 $1 有误: $2"},
        {R"(--from expects sqlite:PATH or mysql://user:pass@host:port/db, got (.*))",
         "--from 应写成 sqlite:路径 或 mysql://用户:密码@主机:端口/库名，实际是“$1”"},
        {R"(cannot connect to (.*?): (.*))", "无法连接 $1: $2"},
        {R"(cannot open (.*) read-only: (.*))", "无法以只读方式打开 $1: $2"},
        {R"((.*) has none of MediaCrawler's tables .*)", "$1 中没有 MediaCrawler 的表（weibo_note、xhs_note、douyin_aweme ……）"},
        {R"(cannot open database (.*))", "无法打开数据库 $1"},
        {R"(cannot read dictionary (.*))", "无法读取词典 $1"},
        {R"(cannot read user dictionary (.*))", "无法读取用户词典 $1"},
        {R"(cannot read stop words: (.*))", "无法读取停用词表 $1"},
        {R"(cannot read rule file (.*))", "无法读取规则文件 $1"},
        {R"(cannot open (.*))", "无法打开文件 $1"},
        {R"(cannot read (?!fastText)(.*))", "无法读取文件 $1"},
        {R"(no password on stdin)", "标准输入中没有密码"},
        {R"(--listen must be HOST:PORT, e.g. 127.0.0.1:8080)", "--listen 应写成 主机:端口，如 127.0.0.1:8080"},
        {R"(bad port in --listen '(.*)')", "--listen 中的端口无效: $1"},
        {R"(--map expects column=field, got '(.*)')", "--map 应写成 列名=字段，实际是“$1”"},
        {R"(invalid JSON at byte (\d+): .*)", "JSON 格式错误（第 $1 字节）"},
        {R"(invalid JSON)", "JSON 格式错误"},
        {R"(the data directory was written by a newer yuqing (.*))", "数据目录由更新版本的 yuqing 写入 $1，请升级"},
    };
    std::vector<Known> out;
    for (const auto& [re, zh] : rows) out.push_back({std::regex(re), zh});
    return out;
  }();
  return k;
}

void MoveHelpFlags(CLI::App& app, const std::string& group) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (CLI::Option* help = sub->get_help_ptr()) help->group(group);
    MoveHelpFlags(*sub, group);
  }
}

}  // namespace

std::string LocalizeMessage(const std::string& msg) {
  std::smatch m;
  // "--at: bad time '...'": the option stays, its reason is translated.
  std::string prefix, rest = msg;
  if (std::regex_match(msg, m, std::regex(R"((--[\w-]+|[A-Z_]+): (.*))"))) prefix = m[1].str() + ": ", rest = m[2].str();
  for (const auto& k : KnownMessages())
    if (std::regex_match(rest, k.re)) return prefix + std::regex_replace(rest, k.re, k.zh);
  return msg;
}

std::string LanguageFromArgs(int argc, char** argv) {
  std::string lang;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") break;
    if (a == "--lang" && i + 1 < argc) lang = argv[++i];
    else if (a.rfind("--lang=", 0) == 0) lang = a.substr(7);
  }
  if (lang.empty()) {
    const char* env = std::getenv("YUQING_LANG");
    if (env && std::string(env).rfind("en", 0) == 0) lang = "en";
  }
  return lang == "en" ? "en" : "zh";
}

void LocalizeApp(CLI::App& app, const Context& ctx, const std::string& version) {
  app.name("yuqing");
  if (ctx.zh()) {
    app.formatter(std::make_shared<ZhFormatter>());
    app.option_defaults()->group("选项");
    app.group("子命令");
  }
  app.set_help_flag("-h,--help", ctx.T("显示本帮助并退出", "Print this help message and exit"));
  app.set_version_flag("--version", version, ctx.T("显示版本并退出", "Display program version information and exit"));
}

int ReportParseError(CLI::App& app, const CLI::ParseError& e, const Context& ctx) {
  if (ctx.zh() && e.get_exit_code() != static_cast<int>(CLI::ExitCodes::Success)) {
    std::cerr << "错误: " << ParseErrorZh(e) << "\n运行 " << CommandPath(app) << " --help 查看用法" << std::endl;
    return 2;
  }
  // A subcommand's help flag is made before it copies the option defaults, so it sits in
  // CLI11's "Options" group: move it to ours before the help is printed.
  if (ctx.zh()) MoveHelpFlags(app, "选项");
  int rc = app.exit(e);
  return rc == 0 ? 0 : 2;
}

}  // namespace yuqing::cli
