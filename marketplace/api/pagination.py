from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class DefaultPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        """``page_size`` must be a whole number from 1 (a wrong value is a 400, not silently the default)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and 0 < int(raw)):
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"Use a whole number of results per page, from 1 to {self.max_page_size}."
                    ]
                }
            )
        return super().get_page_size(request)
