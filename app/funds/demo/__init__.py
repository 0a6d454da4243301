"""Demo data for funds: UPH-medel and its rounds 2021–2025 (app.funds.demo.loader), called by app.demo."""
