"""deploy/'s nginx configuration is one nginx accepts (make scaleout-check runs it for real)."""

import subprocess
from pathlib import Path

import pytest

from deploy.scaleout_check import NGINX, write_nginx_config


@pytest.mark.skipif(
    not Path(NGINX).exists(), reason="nginx is missing: apt-get install nginx-light"
)
def test_nginx_accepts_the_scale_out_configuration(tmp_path):
    tmp_path.chmod(0o755)  # nginx's workers may run as another user
    config = write_nginx_config(tmp_path, port=8080, port_a=8001, port_b=8002)
    assert "@" not in config.read_text()
    checked = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(config)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
