"""Language of manual pages that mix prose with commands and code: the prose decides."""

from __future__ import annotations

import pytest

from indexer.enrich.language import detect_language

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

PROSE = {
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
           "لديك صلاحيات المسؤول. افتح نافذة الأوامر واكتب الأوامر التالية واحدا تلو الآخر."),
}


def manual_page(language: str) -> str:
    """Prose split into short paragraphs between blocks of commands and code, as a
    manual's installation page is."""
    sentences = [s for s in PROSE[language].replace("。", "。\n").replace(". ", ".\n")
                 .splitlines() if s.strip()]
    blocks = []
    for n, sentence in enumerate(sentences):
        blocks.append(sentence)
        blocks.append(COMMANDS if n % 2 == 0 else CODE)
    return "\n\n".join(blocks)


@pytest.mark.parametrize("language", sorted(PROSE))
def test_prose_between_commands_decides_the_language(language):
    assert detect_language(manual_page(language))[0] == language


def test_a_page_of_english_prose_about_code_stays_english():
    text = ("This guide explains how to install the web server on a new machine. Before you "
            "start, check that you have administrator rights. Open a terminal and type the "
            "following commands one by one.") + COMMANDS + CODE
    assert detect_language(text)[0] == "en"
