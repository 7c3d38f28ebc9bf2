"""Pages made for language detection: prose between commands and code, beside tables
of numbers, URLs and boilerplate, pages in two languages, and pages imitating the kinds
of real translated manuals where the vote went wrong (``CODE_KIND_PAGES``). Used by
``test_language_code_pages.py`` and ``benchmarks/language_bench.py``."""

from __future__ import annotations

from itertools import permutations
from pathlib import Path

TITLES = Path(__file__).parent / "fixtures" / "short_titles.tsv"

COMMANDS = """
$ sudo apt-get install --yes nginx postgresql-15
$ systemctl enable --now nginx.service
$ curl -fsSL https://example.org/install.sh | bash -s -- --prefix=/usr/local
export PATH="$HOME/.local/bin:$PATH"
pip install --upgrade requests==2.31.0 numpy pandas
git clone https://github.com/example/project.git && cd project
./configure --with-ssl --enable-shared && make -j4 && sudo make install
docker run -d -p 8080:80 --name web -v /srv/www:/usr/share/nginx/html nginx:latest
"""
CODE = """
def read_config(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)

for item in items:
    if item.is_valid() and not item.deleted:
        results.append(item.to_dict())
server {
    listen 80;
    server_name example.org www.example.org;
    location / { proxy_pass http://127.0.0.1:8000; }
}
"""
TABLE = """
Country        2019      2020      2021      2022
Kenya        12 450    13 020    14 880    15 310
Uganda        8 120     8 640     9 075     9 930
Total 2022   45 210    46 815    49 960    52 004
Q1 2023       3.4 %     2.9 %     4.1 %     3.8 %
"""
FURNITURE = """
Skip to main content
https://www.example.org/en/news/2023/report-on-returns?utm_source=newsletter
Contact: press.office@example.org | Tel. +41 22 717 91 11
© 2023 International Organization for Migration. All rights reserved.
Privacy policy | Terms of use | Cookies
Page 3 of 12
"""

PROSE = {
    "en": ("This guide explains how to install the web server on a new machine. Before you "
           "start, check that you have administrator rights. Open a terminal and type the "
           "following commands one by one. The service starts by itself the next time the "
           "machine restarts."),
    "fr": ("Ce guide explique comment installer le serveur web sur une machine neuve. "
           "Avant de commencer, vérifiez que vous disposez des droits d'administration. "
           "Ouvrez un terminal et saisissez les commandes suivantes, une par une. "
           "Le service démarre automatiquement au prochain redémarrage de la machine."),
    "es": ("Esta guía explica cómo instalar el servidor web en una máquina nueva. "
           "Antes de empezar, compruebe que tiene permisos de administración. "
           "Abra una terminal y escriba las órdenes siguientes, una por una. "
           "El servicio se inicia automáticamente la próxima vez que arranque el equipo."),
    "ru": ("В этом руководстве объясняется, как установить веб-сервер на новую машину. "
           "Перед началом убедитесь, что у вас есть права администратора. "
           "Откройте терминал и введите следующие команды по очереди. "
           "Служба запустится автоматически при следующей перезагрузке компьютера."),
    "zh": ("本指南说明如何在新机器上安装网络服务器。开始之前，请确认您拥有管理员权限。"
           "打开终端，依次输入下列命令。下次重新启动计算机时，服务会自动启动。"),
    "ar": ("يشرح هذا الدليل كيفية تثبيت خادم الويب على جهاز جديد. قبل البدء، تأكد من أن "
           "لديك صلاحيات المسؤول. افتح نافذة الأوامر واكتب الأوامر التالية واحدا تلو الآخر. "
           "تبدأ الخدمة تلقائيا عند إعادة تشغيل الجهاز في المرة القادمة."),
}
#: A second paragraph in each language, for pages in two languages.
REPORT = {
    "en": ("The number of migrants returning home rose sharply this year. Many of them need "
           "help to find work, housing and schools for their children."),
    "fr": ("Le nombre de migrants qui rentrent chez eux a fortement augmenté cette année. "
           "Beaucoup ont besoin d'aide pour trouver un emploi, un logement et une école."),
    "es": ("El número de migrantes que regresan a su país aumentó mucho este año. Muchos "
           "necesitan ayuda para encontrar trabajo, vivienda y escuela para sus hijos."),
    "ru": ("В этом году число мигрантов, возвращающихся домой, резко выросло. Многим из них "
           "нужна помощь в поиске работы, жилья и школы для детей."),
    "zh": ("今年回国的移民人数大幅增加。他们中的许多人需要帮助寻找工作、住房和子女上学的学校。"),
    "ar": ("ارتفع عدد المهاجرين العائدين إلى ديارهم بشكل حاد هذا العام. ويحتاج كثير منهم إلى "
           "المساعدة في العثور على عمل وسكن ومدارس لأطفالهم."),
}
LANGUAGES = sorted(PROSE)


def sentences(language: str) -> list[str]:
    return [s for s in PROSE[language].replace("。", "。\n").replace(". ", ".\n")
            .splitlines() if s.strip()]


def manual_page(language: str) -> str:
    """Prose split into short paragraphs between blocks of commands and code, as a
    manual's installation page is."""
    blocks = []
    for n, sentence in enumerate(sentences(language)):
        blocks.append(sentence)
        blocks.append(COMMANDS if n % 2 == 0 else CODE)
    return "\n\n".join(blocks)


def report_page(language: str) -> str:
    """Prose between a table of numbers, URLs and a web page's furniture (in English)."""
    return "\n\n".join([FURNITURE, PROSE[language], TABLE, REPORT[language], FURNITURE,
                        TABLE])


def two_language_page(main: str, other: str) -> str:
    """Most of the prose in ``main``, a paragraph in ``other``, and some code."""
    return "\n\n".join([PROSE[main], COMMANDS, REPORT[main], REPORT[other], CODE])


def mixed_pages() -> list[tuple[str, tuple[str, ...], str]]:
    """(main language, languages it contains, text) of every page made here."""
    pages = [(lang, (lang,), manual_page(lang)) for lang in LANGUAGES]
    pages += [(lang, (lang,), report_page(lang)) for lang in LANGUAGES]
    pages += [(main, (main, other), two_language_page(main, other))
              for main, other in permutations(LANGUAGES, 2)]
    return pages


# Pages imitating the real translated manuals where the vote went wrong (React, Vue, Pro
# Git, Python docs translations: see benchmarks/language_bench.py); written here, in
# the language, and each named as the kind of miss it stands for. A backslash at a
# line's end continues the line (one paragraph is one line, as extracted).
#: A Markdown page as plain text: Chinese prose between fenced blocks of
#: commands and their English output.
FENCED_MARKDOWN = {
    "zh": """# 保存未完成的工作

有时你在一个分支上做了一半的修改，却需要马上切换到另一个分支去修复问题。这时不必为半成品创建提交，可以先把工作区的改动暂时收起来。

先查看当前的状态：

```console
$ git status
On branch main
Changes not staged for commit:
  (use "git add <file>..." to update what will be committed)
        modified:   README.md
no changes added to commit (use "git add" and/or "git commit -a")
```

收起改动之后，工作区就干净了：

```console
Saved working directory and index state WIP on main: 9e1f0a2 Tidy the install notes
On branch main
nothing to commit, working tree clean
```

以后回到这个分支时，再把收起的改动取回来即可。
""",
}
#: An AsciiDoc page as plain text: Spanish prose between [source,console] blocks
#: of a tool's English messages.
ASCIIDOC = {
    "es": """=== Publicar una versión

La herramienta prepara cada versión en tres pasos: comprueba el árbol de trabajo, escribe \
las notas y crea la etiqueta.

Antes de empezar, pida un resumen del estado del proyecto:

[source,console]
----
$ relkit status
Working tree is clean.
Last release was published three weeks ago by the build robot.

Seven changes are waiting to be released, two of them marked as breaking.
----

Si todo está en orden, publique la versión con la orden siguiente:

[source,console]
----
$ relkit publish --minor
Checking that every test passed on the main branch... done
Writing the release notes from the merged requests... done

Release 2.4.0 is ready. Remember to announce it on the mailing list.
----

La salida indica qué se ha comprobado y el número de la nueva versión.
""",
}
#: A reference page as extracted from HTML (no fences): Russian prose around a
#: TypeScript signature (typed names, lines left open, camelCase names).
TYPED_SIGNATURES = {
    "ru": """createRenderer()

Создаёт собственный отрисовщик. Передав функции создания узлов и работы с ними для своей \
платформы, вы получаете среду выполнения, которая умеет отображать компоненты не только в \
браузере.

Тип

function createRenderer<HostNode, HostElement>(
  options: RendererOptions<HostNode, HostElement>
): Renderer<HostElement>

interface RendererOptions<HostNode, HostElement> {
  patchProp(
    el: HostElement,
    key: string,
    prevValue: any,
    nextValue: any,
    namespace?: ElementNamespace,
    parentComponent?: ComponentInstance | null
  ): void

  insert(
    el: HostNode,
    parent: HostElement,
    anchor?: HostNode | null
  ): void

  createElement(
    type: string,
    namespace?: ElementNamespace,
    isCustomizedBuiltIn?: string,
    vnodeProps?: VNodeProps | null
  ): HostElement
}

Пример

Встроенный отрисовщик для браузера реализован с помощью этой же функции. Если вам нужен \
более простой пример, посмотрите отрисовщик для тестов: он создаёт обычные объекты вместо \
элементов страницы.
""",
}
#: A tutorial as extracted from HTML: Chinese prose around object literals whose
#: values are English strings.
OBJECT_LITERALS = {
    "zh": """把数据作为属性传给组件

下面的组件一次显示一本书的信息。请把重复的部分提取成一个组件，并决定要传递哪些属性。

export default function Shelf() {
  return (
    <BookCard
      book={{
        title: 'The Quiet Harbour',
        author: 'Margaret Ellison',
        subject: 'a history of small fishing towns',
        awards: [
          'Coastal Writers Prize',
          'Northern Book of the Year',
          'Readers Choice Award'
        ],
      }}
    />
  );
}

提示：先提取一本书的标签，再找出第二本书中不同的部分，用属性来配置它们。

const books = [
  {
    title: 'Letters from the Valley',
    author: 'Thomas Grant',
    subject: 'farming families after the long drought',
  },
];

另一种做法是把一本书的全部信息放进一个对象，再把这个对象作为一个属性传下去。
""",
}
#: A translated Sphinx page (reST kept): French lines thick with inline code
#: (``x``, :class:`X`, *arg*) and a note left in English, which rightly counts.
INLINE_CODE = {
    "fr": """:mod:`!archive.writer` --- Writing compressed archives

**Code source :** :source:`Lib/archive/writer.py`

Ce module fournit la classe :class:`ArchiveWriter`, qui écrit des fichiers dans une archive \
compressée.

Si *level* vaut ``None`` (par défaut), utilise le niveau de :data:`DEFAULT_LEVEL` ; sinon \
``level`` doit être compris entre ``0`` et ``9``.

Si l'option *strict* est ``True``, lève :exc:`ArchiveError` lorsque le nom d'un fichier \
contient ``..`` ou commence par ``/``.

La méthode :meth:`~ArchiveWriter.add` ajoute le fichier *path* ; l'argument *arcname* donne \
son nom dans l'archive.

Par commodité, :meth:`~ArchiveWriter.close` est appelée par :meth:`~ArchiveWriter.__exit__` \
à la sortie d'un bloc :keyword:`with`.

Si *compress* est ``False``, les fichiers sont copiés tels quels ; \
:attr:`ArchiveWriter.ratio` vaut alors ``1.0``.

L'attribut :attr:`~ArchiveWriter.names` renvoie la liste des noms déjà écrits, dans l'ordre \
de :meth:`~ArchiveWriter.add`.

Lève :exc:`ValueError` si :meth:`~ArchiveWriter.add` est appelée après \
:meth:`~ArchiveWriter.close`, ou :exc:`OSError` si *path* n'existe pas.

Changed in version 3.12: Added the *strict* parameter, which rejects names that would be \
written outside the archive. Names are checked before anything is written.
""",
}
#: Kind of miss -> (main language, languages, page).
CODE_KIND_PAGES = {
    "fenced code blocks": ("zh", ("zh",), FENCED_MARKDOWN["zh"]),
    "AsciiDoc listing blocks": ("es", ("es",), ASCIIDOC["es"]),
    "typed signatures": ("ru", ("ru",), TYPED_SIGNATURES["ru"]),
    "object literals": ("zh", ("zh",), OBJECT_LITERALS["zh"]),
    "inline code": ("fr", ("fr", "en"), INLINE_CODE["fr"]),
}


def code_kind_pages() -> list[tuple[str, tuple[str, ...], str]]:
    """(main language, languages it contains, text) of the pages of CODE_KIND_PAGES."""
    return list(CODE_KIND_PAGES.values())


def short_titles() -> list[tuple[str, str]]:
    """(language, title) of the thirty short titles of ``fixtures/short_titles.tsv``."""
    rows = [line.rstrip("\n").split("\t") for line in TITLES.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return [(language, title) for language, title in rows]
