"""Page objects for browser tests."""


class LoginPage:
    def __init__(self, page, base_url):
        self.page, self.base_url = page, base_url

    def open(self):
        self.page.goto(f"{self.base_url}/login/")
        return self

    def login(self, username, password):
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state("networkidle")
        return HomePage(self.page, self.base_url)


class HomePage:
    def __init__(self, page, base_url):
        self.page, self.base_url = page, base_url

    def map_canvas(self):
        self.page.wait_for_selector("#city-map canvas", timeout=10_000)
        return self.page.locator("#city-map canvas")

    def nav_titles(self):
        return self.page.locator(".navtitle").all_inner_texts()
