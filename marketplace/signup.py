"""allauth's sign-up view, preselecting the side from ``?role=`` (the landing page's two buttons)."""

from allauth.account.views import SignupView as AllauthSignupView

from core.models import Role


class SignupView(AllauthSignupView):
    def get_initial(self):
        initial = super().get_initial()
        role = self.request.GET.get("role")
        if role in Role.values:
            initial["role"] = role
        return initial


signup = SignupView.as_view()
