"""Pages made for language detection: prose between commands and code, beside tables
of numbers, URLs and boilerplate, and pages in two languages. Used by
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


def short_titles() -> list[tuple[str, str]]:
    """(language, title) of the thirty short titles of ``fixtures/short_titles.tsv``."""
    rows = [line.rstrip("\n").split("\t") for line in TITLES.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return [(language, title) for language, title in rows]
