"""Writes to projects, funds records, pre-review meetings, the major-project service records and
the possible-duplicate pool (STYLE: services own the writes and audit them in the same transaction)."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit.models import AuditAction
from zhaoshang.audit.services import audit_record, snapshot
from zhaoshang.core import access
from zhaoshang.core.services import record_create, record_update
from zhaoshang.enterprises.services import enterprise_resolve
from zhaoshang.metrics import rollup
from zhaoshang.organisation.choices import UNIT_ROLES, Role
from zhaoshang.organisation.models import Unit
from zhaoshang.projects.choices import ComplaintStatus, DuplicateStatus, ProblemStatus, Stage, Verdict
from zhaoshang.projects.models import (
    Complaint,
    CoordinationMeeting,
    DuplicateCandidate,
    FundsRecord,
    PreReviewMeeting,
    Project,
    ProjectProblem,
    ProjectProgress,
)

# Stages at which a project has been signed.
SIGNED_STAGES = (Stage.SIGNED, Stage.COMMENCED, Stage.IN_PRODUCTION, Stage.EFFECTIVE)


def _resolve_investor(*, user, form) -> None:
    data = form.cleaned_data
    form.instance.investor = enterprise_resolve(
        user=user, name=data["investor_name"], credit_code=data.get("investor_credit_code", "")
    )
    if not form.instance.region_id:
        # A project lands, unless said otherwise, in its introducing unit's region (SPEC §3 credit).
        form.instance.region = form.instance.introducing_unit.region


def prereview_required() -> bool:
    """The deployment setting ``ZHAOSHANG["PREREVIEW_REQUIRED"]`` (default off)."""
    return bool(getattr(settings, "ZHAOSHANG", {}).get("PREREVIEW_REQUIRED", False))


def check_prereview(project: Project, *, previous_stage: str | None) -> None:
    """Where the deployment requires it, a project is signed only after a pre-review meeting (预审会)
    passed it. A project signed before keeps its stage when other fields are edited."""
    if not prereview_required() or project.stage not in SIGNED_STAGES or previous_stage in SIGNED_STAGES:
        return
    passed = (
        project.pk
        and project.prereview_verdicts.filter(verdict=Verdict.PASSED, meeting__is_deleted=False).exists()
    )
    if not passed:
        raise ValidationError(
            {"stage": _("本地区要求项目经预审会审议通过后方可签约,该项目尚无“通过”的预审结论。")}
        )


def project_create(*, user, form, submit: bool = False) -> Project:
    """A new project; then the possible-duplicate screening (防水分) — a look-alike holds both."""
    with transaction.atomic():
        _resolve_investor(user=user, form=form)
        check_prereview(form.instance, previous_stage=None)
        project = record_create(
            user=user, instance=form.instance, m2m=lambda obj: form.save_relations(), submit=submit
        )
        duplicate_screen(user=user, project=project)
        rollup.upkeep()  # the monthly summary's cells, in this transaction (metrics.rollup)
        return project


def project_update(*, user, form, read_version: int | None) -> Project:
    """A change to a project. A changed investor keeps the one record (the audit row shows the
    investor before and after); the duplicate screening runs again on the new values."""
    with transaction.atomic():
        _resolve_investor(user=user, form=form)
        previous = Project.objects.filter(pk=form.instance.pk).values_list("stage", flat=True).first()
        check_prereview(form.instance, previous_stage=previous)
        project = record_update(
            user=user,
            instance=form.instance,
            read_version=read_version,
            m2m=lambda obj: form.save_relations(),
        )
        duplicate_screen(user=user, project=project)
        rollup.upkeep()  # the monthly summary's cells, in this transaction (metrics.rollup)
        return project


def funds_create(*, user, form, submit: bool = False) -> FundsRecord:
    return record_create(user=user, instance=form.instance, submit=submit)


def funds_update(*, user, form, read_version: int | None) -> FundsRecord:
    return record_update(user=user, instance=form.instance, read_version=read_version)


def prereview_create(*, user, form, submit: bool = False) -> PreReviewMeeting:
    with transaction.atomic():
        meeting = record_create(user=user, instance=form.instance)
        form.save_verdicts(meeting)
        return meeting


def prereview_update(*, user, form, read_version: int | None) -> PreReviewMeeting:
    with transaction.atomic():
        meeting = record_update(user=user, instance=form.instance, read_version=read_version)
        form.save_verdicts(meeting)
        return meeting


# --- 防水分: the possible-duplicate pool ------------------------------------------------------------


def _set_hold(*, user, project_ids, hold: bool) -> None:
    """Hold or release projects; the version moves so an edit begun before cannot undo it."""
    for project in Project.objects.filter(pk__in=project_ids).exclude(duplicate_hold=hold).order_by("pk"):
        if Project.objects.filter(pk=project.pk, duplicate_hold=not hold).update(
            duplicate_hold=hold, version=F("version") + 1
        ):
            audit_record(
                action=AuditAction.UPDATE,
                obj=project,
                before={"duplicate_hold": not hold},
                after={"duplicate_hold": hold},
                user=user,
            )
    rollup.upkeep()  # the monthly summary's cells, in this transaction (metrics.rollup)


def duplicate_pool_pair(
    *, user, project: Project, other: Project, reasons: list[str]
) -> DuplicateCandidate | None:
    """Put ``project`` (the newer report) and ``other`` into the pool and hold both; None if the pair
    was already judged or pooled (a pair the bureau released is not held again)."""
    with transaction.atomic():
        if DuplicateCandidate.objects.filter(
            Q(project=project, other=other) | Q(project=other, other=project)
        ).exists():
            return None
        candidate = DuplicateCandidate.objects.create(project=project, other=other, reasons=reasons)
        audit_record(action=AuditAction.CREATE, obj=candidate, after=snapshot(candidate), user=user)
        _set_hold(user=user, project_ids=[project.pk, other.pk], hold=True)
        from zhaoshang.supervision.services import notify, notify_unit, region_users

        # Units are not told which other unit's record it is (a unit sees only its own records).
        for mine in (project, other):
            notify_unit(
                unit_id=mine.introducing_unit_id,
                text=_("项目“{mine}”疑似与已报项目重复,核查前暂不计入统计,待招商局核查。").format(mine=mine),
                link=mine.get_absolute_url(),
            )
        notify(
            users=region_users(roles=(Role.BUREAU,), region=project.region),
            text=_("新的疑似重复项目待核查:{pair}。").format(pair=candidate),
            link=candidate.get_absolute_url(),
        )
    return candidate


def duplicate_screen(*, user, project: Project) -> list[DuplicateCandidate]:
    """防水分 (SPEC §2): when a project is reported, look for the same project already reported — by
    another unit or by the same one before an upgrade — and put each look-alike pair in the pool.
    A withdrawn or deleted project is never screened."""
    from zhaoshang.projects.selectors import duplicate_candidates_for

    if project.is_deleted or project.stage == Stage.WITHDRAWN:
        return []
    pooled = []
    for other, reasons in duplicate_candidates_for(project):
        candidate = duplicate_pool_pair(user=user, project=project, other=other, reasons=reasons)
        if candidate is not None:
            pooled.append(candidate)
    return pooled


def first_filed(projects) -> Project:
    """Of records of one project, the one filed first (上报 earliest; a record never submitted by
    when it was created), the earlier id on a tie."""
    return min(projects, key=lambda p: (p.submitted_at or p.created_at, p.pk))


def _first_introducer_keep(pair: tuple[Project, Project], keep: Project | None) -> Project | None:
    """一个项目、一个首报单位 (金安's rule, a counting option of the year): where it is on, the
    record kept is the one filed first, whatever the bureau picks; otherwise the bureau's choice."""
    from zhaoshang.metrics import options

    first = first_filed(pair)
    year = (first.signed_on or timezone.localdate()).year
    if not options.rules_for(year).first_introducer:
        return keep
    if keep is not None and keep != first:
        raise ValidationError(
            _("按“一个项目、一个首报单位”的规则,应保留最先报送的“{project}”({unit})。").format(
                project=first, unit=first.introducing_unit
            )
        )
    return first


def duplicate_resolve(
    *, user, candidate: DuplicateCandidate, same: bool, keep: Project | None = None, note: str = ""
) -> DuplicateCandidate:
    """The bureau's verdict on a pair in the pool.

    Same project → ``keep`` stays and the other is withdrawn (退库, "merged into" the kept one), so
    it counts once. Different projects → both are released. A project is released once no open pair
    holds it any more.
    """
    if not access.restrict(
        DuplicateCandidate.objects.filter(pk=candidate.pk), user, access.RECOGNISE
    ).exists():
        raise PermissionDenied(_("只有招商局可以核查疑似重复项目。"))
    pair = (candidate.project, candidate.other)
    if same:
        keep = _first_introducer_keep(pair, keep)
    if same and keep not in pair:
        raise ValidationError(_("请选择保留哪一个项目。"))
    with transaction.atomic():
        now = timezone.now()
        before = snapshot(candidate)
        status = DuplicateStatus.SAME if same else DuplicateStatus.DIFFERENT
        if not DuplicateCandidate.objects.filter(pk=candidate.pk, status=DuplicateStatus.OPEN).update(
            status=status,
            kept=keep if same else None,
            note=note.strip()[:300],
            resolved_at=now,
            resolved_by=user,
        ):
            raise ValidationError(_("该疑似重复项目已核查过。"))
        candidate.refresh_from_db()
        audit_record(
            action=AuditAction.UPDATE, obj=candidate, before=before, after=snapshot(candidate), user=user
        )
        released = [p.pk for p in pair]
        if same:
            dropped = pair[1] if keep == pair[0] else pair[0]
            previous = snapshot(dropped)
            Project.objects.filter(pk=dropped.pk).update(
                stage=Stage.WITHDRAWN,
                ended_on=timezone.localdate(),
                end_reason=_("与“{kept}”({unit})为同一项目,经核查合并,本记录退库。").format(
                    kept=keep, unit=keep.introducing_unit
                )[:300],
                duplicate_hold=False,
                version=F("version") + 1,
            )
            dropped.refresh_from_db()
            audit_record(
                action=AuditAction.UPDATE, obj=dropped, before=previous, after=snapshot(dropped), user=user
            )
            released = [keep.pk]
        open_pairs = (
            DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN)
            .filter(Q(project_id__in=released) | Q(other_id__in=released))
            .values_list("project_id", "other_id")
        )
        still_held = {pk for ids in open_pairs for pk in ids}
        _set_hold(user=user, project_ids=[pk for pk in released if pk not in still_held], hold=False)
        from zhaoshang.supervision.services import notify_unit

        for project in pair:
            notify_unit(
                unit_id=project.introducing_unit_id,
                text=_("项目“{project}”疑似重复一事已核查:{result}。").format(
                    project=project, result=candidate.get_status_display()
                ),
                link=project.get_absolute_url(),
            )
    return candidate


# --- major-project service (重大项目服务) --------------------------------------------------------------


def may_report_on(user, project: Project) -> bool:
    """Who reports on a project (its progress, its problems): the introducing unit's staff and the
    bureau of its region."""
    if user is None or not user.is_authenticated:
        return False
    if not access.restrict(Project.objects.filter(pk=project.pk), user, access.VIEW).exists():
        return False
    if user.is_superuser or user.role == Role.BUREAU:
        return True
    return user.role in UNIT_ROLES and user.unit_id == project.introducing_unit_id


def _may_answer(user, owner_unit_id: int, model, pk: int) -> bool:
    """The owner unit's staff, or the bureau of the record's region, answer a problem or complaint."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if user.role in UNIT_ROLES:
        return user.unit_id == owner_unit_id
    return user.role == Role.BUREAU and access.restrict(model.objects.filter(pk=pk), user).exists()


def _created(*, user, obj):
    obj.full_clean()
    obj.save()
    audit_record(action=AuditAction.CREATE, obj=obj, after=snapshot(obj), user=user)
    return obj


def _changed(*, user, obj, before: dict):
    obj.full_clean()
    if hasattr(obj, "version"):
        obj.version += 1
    obj.save()
    audit_record(action=AuditAction.UPDATE, obj=obj, before=before, after=snapshot(obj), user=user)
    return obj


def _in_region(user, unit: Unit) -> bool:
    return access.unit_choices_for(user, Unit.objects.filter(pk=unit.pk)).exists() or (
        # A unit reporter raises a problem for another unit of its region (e.g. 自然资源局).
        user.role in UNIT_ROLES
        and user.scope_region is not None
        and unit.region.path.startswith(user.scope_region.path)
    )


def progress_add(*, user, project: Project, reported_on: datetime.date, text: str) -> ProjectProgress:
    """A dated progress update (推进情况) on a project."""
    if not may_report_on(user, project):
        raise PermissionDenied(_("您没有权限填报该项目的推进情况。"))
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("日期不能晚于今天。")})
    with transaction.atomic():
        return _created(
            user=user,
            obj=ProjectProgress(
                project=project, reported_on=reported_on, text=text.strip(), reported_by=user
            ),
        )


def meeting_record(
    *, user, project: Project, held_on: datetime.date, leader: str, decisions: str, attendees: str = ""
) -> CoordinationMeeting:
    """A coordination meeting (协调会) on a project, recorded by the bureau."""
    if not (
        access.can(user, access.ADD, CoordinationMeeting)
        and access.restrict(Project.objects.filter(pk=project.pk), user).exists()
    ):
        raise PermissionDenied(_("只有招商局可以记录协调会。"))
    with transaction.atomic():
        return _created(
            user=user,
            obj=CoordinationMeeting(
                project=project,
                held_on=held_on,
                leader=leader.strip(),
                attendees=attendees.strip(),
                decisions=decisions.strip(),
                created_by=user,
            ),
        )


def problem_raise(
    *,
    user,
    project: Project,
    raised_on: datetime.date,
    description: str,
    owner_unit: Unit,
    deadline: datetime.date,
    meeting: CoordinationMeeting | None = None,
) -> ProjectProblem:
    """A problem raised on a project — at a coordination meeting or by the unit — handed to the unit
    that owns it, with a deadline; that unit is told."""
    if not may_report_on(user, project):
        raise PermissionDenied(_("您没有权限为该项目提出问题。"))
    if not _in_region(user, owner_unit):
        raise ValidationError({"owner_unit": _("责任单位须为本辖区的单位。")})
    if meeting is not None and meeting.project_id != project.pk:
        raise ValidationError({"meeting": _("协调会须为该项目的协调会。")})
    with transaction.atomic():
        problem = _created(
            user=user,
            obj=ProjectProblem(
                project=project,
                raised_on=raised_on,
                description=description.strip(),
                owner_unit=owner_unit,
                deadline=deadline,
                meeting=meeting,
                raised_by=user,
            ),
        )
        from zhaoshang.supervision.services import notify_unit

        notify_unit(
            unit_id=owner_unit.pk,
            text=_("项目“{project}”的问题交由您单位解决,办结时限{deadline}:{text}").format(
                project=project, deadline=f"{deadline:%Y-%m-%d}", text=problem.description[:60]
            ),
            link=problem.get_absolute_url(),
        )
    return problem


def problem_resolve(
    *, user, problem: ProjectProblem, resolution: str, resolved_on: datetime.date
) -> ProjectProblem:
    """The owner unit (or the bureau) records how the problem was solved."""
    if not _may_answer(user, problem.owner_unit_id, ProjectProblem, problem.pk):
        raise PermissionDenied(_("只有责任单位或招商局可以办结该问题。"))
    if problem.status != ProblemStatus.OPEN:
        raise ValidationError(_("该问题已解决。"))
    if not resolution.strip():
        raise ValidationError({"resolution": _("请填写解决情况。")})
    with transaction.atomic():
        before = snapshot(problem)
        problem.status = ProblemStatus.RESOLVED
        problem.resolution = resolution.strip()
        problem.resolved_on = resolved_on
        problem.resolved_by = user
        return _changed(user=user, obj=problem, before=before)


def complaint_receive(
    *,
    user,
    enterprise,
    received_on: datetime.date,
    content: str,
    owner_unit: Unit,
    deadline: datetime.date,
    project: Project | None = None,
) -> Complaint:
    """The bureau registers an investor's complaint and hands it to the unit that owns it."""
    if not access.can(user, access.ADD, Complaint):
        raise PermissionDenied(_("只有招商局可以受理客商投诉。"))
    if not access.unit_choices_for(user, Unit.objects.filter(pk=owner_unit.pk)).exists():
        raise ValidationError({"owner_unit": _("承办单位须为本辖区的单位。")})
    if project is not None and not access.restrict(Project.objects.filter(pk=project.pk), user).exists():
        raise ValidationError({"project": _("记录不存在。")})
    with transaction.atomic():
        complaint = _created(
            user=user,
            obj=Complaint(
                enterprise=enterprise,
                project=project,
                received_on=received_on,
                content=content.strip(),
                owner_unit=owner_unit,
                deadline=deadline,
                created_by=user,
            ),
        )
        from zhaoshang.supervision.services import notify_unit

        notify_unit(
            unit_id=owner_unit.pk,
            text=_("客商投诉交由您单位办理,请于{deadline}前答复:{text}").format(
                deadline=f"{deadline:%Y-%m-%d}", text=complaint.content[:60]
            ),
            link=complaint.get_absolute_url(),
        )
    return complaint


def complaint_respond(*, user, complaint: Complaint, response: str, responded_on: datetime.date) -> Complaint:
    """The owner unit answers the complaint (事事有回音)."""
    if not _may_answer(user, complaint.owner_unit_id, Complaint, complaint.pk):
        raise PermissionDenied(_("只有承办单位或招商局可以答复该投诉。"))
    if complaint.status == ComplaintStatus.CLOSED:
        raise ValidationError(_("该投诉已办结。"))
    if not response.strip():
        raise ValidationError({"response": _("请填写答复情况。")})
    with transaction.atomic():
        before = snapshot(complaint)
        complaint.status = ComplaintStatus.RESPONDED
        complaint.response = response.strip()
        complaint.responded_on = responded_on
        return _changed(user=user, obj=complaint, before=before)


def complaint_close(*, user, complaint: Complaint, closed_on: datetime.date, note: str = "") -> Complaint:
    """The bureau closes an answered complaint after checking back with the investor (件件有着落)."""
    if not access.restrict(Complaint.objects.filter(pk=complaint.pk), user, access.CHANGE).exists():
        raise PermissionDenied(_("只有招商局可以办结投诉。"))
    if complaint.status != ComplaintStatus.RESPONDED:
        raise ValidationError(_("承办单位答复后才能办结。"))
    with transaction.atomic():
        before = snapshot(complaint)
        complaint.status = ComplaintStatus.CLOSED
        complaint.closed_on = closed_on
        complaint.closing_note = note.strip()[:300]
        return _changed(user=user, obj=complaint, before=before)


def problem_create(*, user, form, submit: bool = False) -> ProjectProblem:
    """Raising a problem from the problems form (edit view)."""
    data = form.cleaned_data
    return problem_raise(
        user=user,
        project=data["project"],
        raised_on=data["raised_on"],
        description=data["description"],
        owner_unit=data["owner_unit"],
        deadline=data["deadline"],
        meeting=data.get("meeting"),
    )


def problem_update(*, user, form, read_version: int | None) -> ProjectProblem:
    return record_update(user=user, instance=form.instance, read_version=read_version)


def complaint_create(*, user, form, submit: bool = False) -> Complaint:
    data = form.cleaned_data
    return complaint_receive(
        user=user,
        enterprise=data["enterprise"],
        project=data.get("project"),
        received_on=data["received_on"],
        content=data["content"],
        owner_unit=data["owner_unit"],
        deadline=data["deadline"],
    )


def complaint_update(*, user, form, read_version: int | None) -> Complaint:
    return record_update(user=user, instance=form.instance, read_version=read_version)
