"""The help texts ``juesuan.entry`` prints without Typer: generated, do not edit.

Written by ``juesuan.entry.write_stored_help()`` from what Typer prints;
``tests/test_startup.py`` asserts that they are still the same.
"""

HELP: dict[str, str] = {
    '': """\
Usage: {prog} [OPTIONS] COMMAND [ARGS]...

  部门决算（预算）公开工具：检查决算或预算数据、生成公开文档、审核已公开的文档。

Options:
  -V, --version  显示版本号并退出。
  -h, --help     显示本帮助并退出。

Commands:
  check           检查决算数据的勾稽关系、科目代码、绩效自评计分和必填内容；预算数据集（kind: 预算）按预算的勾稽关系检查。
  rules           列出全部检查规则：编号、级别、标题和说明。
  template        生成决算（或部门预算，--kind budget）数据工作簿：空白模板（含填写说明），或用已有数据集填好的工作簿。
  build           先检查数据，再生成部门决算公开文档：Word、PDF、网页、Excel 决算表。
  audit           审核已公开的部门决算或部门预算文档：说明与公开表、说明前后的数字是否一致，各部分是否齐全。
  extract         从已公开的文档中恢复决算数据集（预算文档则恢复预算数据集：收入、支出总表各项、基本支出经济分类、...
  compare-budget  把部门预算与决算放在一起比较（同一部门）。
  scorecard       按文档、部门和地区给决算公开评分：完整性（应有的部分、章节和公开表是否齐全）和一致性...
  serve           启动本机网页应用：填报人上传、检查、填写说明、生成并提交；审核人查看报送情况、批量审核公开文档；...
  db              数据库：保存各部门各年度的数据集和审核结果（默认 SQLite，也可用 PostgreSQL）。
  user            网页应用的用户：新增用户（已有则改密码）、停用和启用、生成接口令牌。
""",
    'check': """\
Usage: {prog} check [OPTIONS] {dataset}

  检查决算数据的勾稽关系、科目代码、绩效自评计分和必填内容；预算数据集（kind: 预算）按预算的勾稽关系检查。

  多单位工作簿（部门汇总导出，每个单位一套表）逐个单位检查，最后检查部门汇总（各单位之和）。

  退出码：0 无错误级问题；1 有错误级问题；2 输入无法读取。

Arguments:
  dataset <path>  数据集：YAML 文件、含 dataset.yaml 的文件夹，或 Excel 工作簿  [required]

Options:
  -f, --format <text|json>  输出格式：text（表格）或 json  [default: text]
  --select <list[str]>      只运行编号以此开头的规则（可重复）
  --skip <list[str]>        跳过编号以此开头的规则（可重复）
  --reverse-overrun <str>   反向指标超标的计分方法：ratio（指标值÷实际值×分值）或 linear（超出一倍得零分）
                            [default: ratio]
  --code-list <list[Path]>  补充的科目代码表 CSV（code,name 两列，可重复）
  --db <str>                数据库地址（或环境变量 JUESUAN_DB）：数据集未给出的上年数字和职能等文字从数据库取
  -h, --help                显示本帮助并退出。
""",
    'rules': """\
Usage: {prog} rules [OPTIONS]

  列出全部检查规则：编号、级别、标题和说明。

Options:
  -f, --format <text|json>  输出格式：text 或 json  [default: text]
  -h, --help                显示本帮助并退出。
""",
    'template': """\
Usage: {prog} template [OPTIONS] {out}

  生成决算（或部门预算，--kind budget）数据工作簿：空白模板（含填写说明），或用已有数据集填好的工作簿。

  财务人员可将决算软件导出的表格粘贴到对应工作表，填好后用 juesuan check 检查。 退出码：0 成功；2 输入无法读取或输出文件无法写入。

Arguments:
  out <path>  要生成的 Excel 工作簿（.xlsx）  [required]

Options:
  --from <path>  用已有的数据集（YAML 文件、含 dataset.yaml 的文件夹或工作簿）填好数据
  --force        覆盖已存在的文件
  --kind <str>   工作簿类型：final（决算，默认）或 budget（部门预算）；--from 给出预算数据集时自动为 budget
                 [default: final]
  -h, --help     显示本帮助并退出。
""",
    'build': """\
Usage: {prog} build [OPTIONS] {datasets}...

  先检查数据，再生成完整的部门决算（或部门预算）公开文档：Word、PDF、网页（HTML）、公开表（Excel）、图表和检查结果（findings.js
  on）。

  文件名为“部门_年度_部门决算.docx/.pdf/.html”和“部门_年度_部门决算表.xlsx”（预算数据集 kind: 预算 为“部门预算”），
  图表在 charts 子文件夹。所有文件先写入输出文件夹旁的临时文件夹，全部成功后才改名为输出文件夹； 生成失败时不留下任何文件。

  数据检查发现错误级问题时，不生成文档（退出码 1）；加 --draft 则生成草稿：每个文件每页都标注
  “草稿：数据未通过检查”，文档末尾附问题清单，退出码仍为 1，表示不可公开。警告和提示不影响生成。

  批量生成（多个数据集、含多个数据集的文件夹，或 --jobs/--resume/--timeout/--executor）：
  每个数据集生成到“输出文件夹/名称/”；列出单位数据集（department.units[].accounts）的部门，
  每个单位各生成一份，另生成部门汇总（“部门（汇总）”）；每完成一个写一行到 build-results.jsonl， 全部问题汇总在 findings-
  summary.csv。多单位工作簿（每个单位一组表，工作表名或表头“编制单位：”区分单位）
  拆分到“输出文件夹/单位工作簿/”后同样生成各单位和汇总。加 --db 时每个数据集生成后即存入数据库。

  退出码：0 已生成可公开的文档；1 数据有错误级问题（未生成，或按 --draft 生成了草稿）； 2
  输入无法读取或输出无法写入（文件夹已存在、没有权限、磁盘已满等）；130 批量生成被中断。

Arguments:
  datasets... <list[Path]>  数据集：YAML 文件、含 dataset.yaml 的文件夹，或 Excel
                            工作簿；批量生成时可给多个，或含多个数据集的文件夹  [required]

Options:
  -o, --output <path>  输出文件夹（不能已存在，除非加 --force）  [required]
  -p, --profile <str>  公开样式名称（默认用数据集中写明的样式，如 neimenggu-2023）
  -f, --format <str>   要生成的格式，逗号分隔：docx,pdf,html,xlsx  [default:
                       docx,pdf,html,xlsx]
  --force              输出文件夹已存在时整体替换它（生成成功后才替换）
  --draft              数据有错误级问题时仍生成草稿：每页标注“草稿：数据未通过检查”，并附问题清单
  --pdf-engine <str>   PDF 排版引擎：typst（快，默认，已安装时）或 weasyprint
  --db <str>           数据库地址（或环境变量 JUESUAN_DB）：数据集未给出的上年数字和职能等文字从数据库取；批量生成时每个单
                       位的数据集生成后存入数据库
  -j, --jobs <int>     批量处理：同时处理的进程数（默认本机的处理器核数）；结果按行写出（--format jsonl）
  --resume             批量处理：接着上次中断的运行，跳过输出中已有的文档（按内容 SHA-256，改名的文件不重复处理）
  --timeout <float>    批量处理：每个文档最多处理的秒数，超时的文档记为失败（原因“超时”），其余继续
  --executor <str>     批量处理：local（本机进程，默认）或 dask://主机:端口（Dask 集群，文档按内容发送）
  -h, --help           显示本帮助并退出。
""",
    'audit': """\
Usage: {prog} audit [OPTIONS] {documents}...

  审核已公开的部门决算或部门预算文档：说明与公开表、说明前后的数字是否一致，各部分是否齐全。

  先判断文档类型：部门决算、单位决算按决算审核，部门预算、单位预算按预算审核（预算公开样式见
  src/juesuan/profiles/budget，--profile 可指定其名称）；政府本级决算（预算）报告和其他文档不审核（说明原因）。
  一份预算的情况说明和公开表分两个文件公开时，加 --together 合并审核。

  批量审核（--format jsonl，或 --jobs/--resume/--timeout/--executor）：文件夹逐层查找文档，
  多进程同时审核，每完成一个文档写出一行（含 sha256、路径、状态、问题数和审核结果），最后在屏幕上汇总； 按 Ctrl-C 中断后，加
  --resume 重新运行同一命令即可接着做。加 --db 则每个结果完成即存入数据库 （由主进程写入，与 juesuan db import
  所存相同），--resume 时库中已有的文档不再审核。

  退出码：0 无错误级问题；1 有错误级问题；2 有文档无法读取或不是部门（单位）决算、预算公开文档；130 批量审核被中断。

Arguments:
  documents... <list[Path]>  已公开的决算或预算文档（.txt/.md/.docx/.pdf），或包含这些文档的文件夹
                             [required]

Options:
  -f, --format <text|json|html|jsonl>
                                  报告格式：text、json、html，或
                                  jsonl（批量：每个文档一行，边完成边写出）  [default: text]
  -o, --output <path>             报告写入此文件（默认输出到屏幕）
  --profile <str>                 指定公开样式：样式名（juesuan rules 不列；见
                                  src/juesuan/profiles）或样式 YAML
                                  文件；默认自动识别，未能确认省级样式时按全国基准样式（national）审核
  --select <list[str]>            只报告编号以此开头的规则（可重复）
  --skip <list[str]>              不报告编号以此开头的规则（可重复）
  -j, --jobs <int>                批量处理：同时处理的进程数（默认本机的处理器核数）；结果按行写出（--format
                                  jsonl）
  --resume                        批量处理：接着上次中断的运行，跳过输出中已有的文档（按内容
                                  SHA-256，改名的文件不重复处理）
  --timeout <float>               批量处理：每个文档最多处理的秒数，超时的文档记为失败（原因“超时”），其余继续
  --executor <str>                批量处理：local（本机进程，默认）或 dask://主机:端口（Dask
                                  集群，文档按内容发送）
  --time-limit <float>            每份文档的审核时间上限（秒，0 为不限；默认 120，或环境变量
                                  JUESUAN_AUDIT_TIME_LIMIT）
  --together                      给出的几个文件是同一份预算公开文档（如情况说明和公开表分两个文件公开），合并审核
  --db <str>                      批量审核：每完成一个文档即存入此数据库，--resume 跳过库中已有的
  -h, --help                      显示本帮助并退出。
""",
    'extract': """\
Usage: {prog} extract [OPTIONS] {documents}...

  从已公开的文档中恢复决算数据集（预算文档则恢复预算数据集：收入、支出总表各项、基本支出经济分类、 机关运行经费），可交给 juesuan check /
  juesuan build 使用。

  批量提取（多个文档或文件夹，或 --format jsonl）：每个文档一行，含恢复的数据集（dataset）。

  退出码：0 成功；2 文档无法读取或不是部门（单位）决算、预算公开文档；130 批量提取被中断。

Arguments:
  documents... <list[Path]>  已公开的决算或预算文档（.txt/.md/.docx/.pdf）；批量提取时可给多个文档或文件夹
                             [required]

Options:
  -f, --format <json|yaml|jsonl>  输出格式：yaml、json，或 jsonl（批量：每个文档一行）  [default:
                                  yaml]
  -o, --output <path>             写入此文件（默认输出到屏幕）
  -j, --jobs <int>                批量处理：同时处理的进程数（默认本机的处理器核数）；结果按行写出（--format
                                  jsonl）
  --resume                        批量处理：接着上次中断的运行，跳过输出中已有的文档（按内容
                                  SHA-256，改名的文件不重复处理）
  --timeout <float>               批量处理：每个文档最多处理的秒数，超时的文档记为失败（原因“超时”），其余继续
  --executor <str>                批量处理：local（本机进程，默认）或 dask://主机:端口（Dask
                                  集群，文档按内容发送）
  --time-limit <float>            时间上限（秒，0 为不限；默认 120，或环境变量
                                  JUESUAN_AUDIT_TIME_LIMIT）
  -h, --help                      显示本帮助并退出。
""",
    'compare-budget': """\
Usage: {prog} compare-budget [OPTIONS] {budget} {final}

  把部门预算与决算放在一起比较（同一部门）。

  决算与预算同一年度：逐项列出决算中的年初预算与公开的预算不一致之处（一般公共预算财政拨款，各功能分类项和
  “三公”经费各项）。决算为预算的上一年度：按功能分类类、“三公”经费、机关运行经费列出上年决算数与本年预算数， 可用 --chart
  画图。金额单位：万元。

  退出码：0 比较完成（同一年度时无不一致）；1 同一年度且有不一致；2 输入无法读取或不是一个部门的预算和决算。

Arguments:
  budget <path>  部门预算数据集（kind: 预算 的 YAML 文件、文件夹或工作簿）  [required]
  final <path>   同一部门的决算：数据集，或已公开的决算文档（.pdf/.docx/.txt）  [required]

Options:
  -f, --format <str>  输出格式：text 或 json  [default: text]
  --chart <path>      把比较图写入此 PNG 文件
  -h, --help          显示本帮助并退出。
""",
    'db': """\
Usage: {prog} db [OPTIONS] COMMAND [ARGS]...

  数据库：保存各部门各年度的数据集和审核结果（默认 SQLite，也可用 PostgreSQL）。

Options:
  -h, --help  显示本帮助并退出。

Commands:
  info     显示数据库的位置和其中的数量。
  import   导入数据集和已公开的文档（文档在导入时审核）。同一内容导入两次不会改变数据库。
  list     列出数据库中的单位、年度和审核记录。
  history  一个单位的全部数据集版本（当前版本标 *）。
  compare  比较各单位各年度的同一数字（当前版本，单位：万元）。
  export   导出全部内容：Frictionless 数据包（CSV + datapackage.json），或一个 Excel...
  show     一份已审核文档的发现；标为误报的注明由谁、为何。
  dismiss  把一条发现标为误报（按文档内容保存，重新审核同一文档时仍然有效）。
  orgs     各部门及其所属预算单位（树形），附单位性质。
""",
    'scorecard': """\
Usage: {prog} scorecard [OPTIONS] [results]...

  按文档、部门和地区给决算公开评分：完整性（应有的部分、章节和公开表是否齐全）和一致性 （每百个核对数字的错误级问题数），给出总分和排名，写成
  CSV、Excel 工作簿和带图表的网页。

  只对审核过的决算公开文档评分；同一内容（SHA-256）只计一次。

  退出码：0 已写出；2 结果文件或数据库无法读取、输出无法写入，或没有可评分的文档。

Arguments:
  results... <list[Path]>  批量审核的结果文件（juesuan audit --format jsonl -o 结果.jsonl）

Options:
  -o, --output <path>  输出文件夹：CSV、Excel 工作簿和网页  [default: 评分]
  --db <str>           数据库地址（或环境变量 JUESUAN_DB）：也对数据库中已审核的文档评分
  -h, --help           显示本帮助并退出。
""",
    'serve': """\
Usage: {prog} serve [OPTIONS]

  启动本机网页应用：填报人上传、检查、填写说明、生成并提交；审核人查看报送情况、批量审核公开文档；
  查阅人浏览、比较和下载数据。所有脚本、样式和图表都随程序提供，断网也能使用。

  先用 juesuan user add 创建用户。退出码：2 数据库无法打开或端口被占用。

Options:
  --host <str>      监听地址（默认只允许本机访问；内网共用时写本机的内网地址）  [default: 127.0.0.1]
  --port <int>      端口  [default: 8000]
  --db <str>        数据库地址（或环境变量 JUESUAN_DB；默认用户数据文件夹中的 SQLite 文件）
  --uploads <path>  上传文件的保存文件夹（默认用户数据文件夹中的 uploads）
  --workers <int>   同时审核上传文档的后台进程数  [default: 2]
  -h, --help        显示本帮助并退出。
""",
    'user': """\
Usage: {prog} user [OPTIONS] COMMAND [ARGS]...

  网页应用的用户：新增用户（已有则改密码）、停用和启用、生成接口令牌。

Options:
  -h, --help  显示本帮助并退出。

Commands:
  add      新增用户（已有则修改其角色、部门和密码）。密码从标准输入读取（第一行），至少 8 个字符。
  token    为用户生成一个接口令牌（只显示这一次），用于 Authorization: Bearer 请求头。
  disable  停用用户：不能再登录，已登录的会话和接口令牌立即失效（记录保留，可用 enable 恢复）。
  enable   恢复已停用的用户（须重新登录）。
""",
}
